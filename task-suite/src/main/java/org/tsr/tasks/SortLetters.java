package org.tsr.tasks;

import java.util.Arrays;

/** "sort: dbca" answered "abcd". */
final class SortLetters extends LetterTask {

    SortLetters() {
        super("sort");
    }

    @Override
    public String name() {
        return "sort";
    }

    @Override
    String answer(String word) {
        char[] letters = word.toCharArray();
        Arrays.sort(letters);
        return new String(letters);
    }
}
