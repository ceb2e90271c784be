package org.tsr.tasks;

import java.util.Arrays;
import java.util.Random;

/**
 * A task whose answer rearranges the letters of a word (sorting, reversing): an answer with the right letters in
 * nearly the right order earns more than one with the right letters scrambled, which earns more than wrong letters.
 */
abstract class LetterTask implements TaskFamily {

    private static final String LETTERS = "abcdefghij";
    private final String verb;

    LetterTask(String verb) {
        this.verb = verb;
    }

    /** The answer for a word. */
    abstract String answer(String word);

    @Override
    public Task sample(Random random) {
        StringBuilder word = new StringBuilder();
        int length = 3 + random.nextInt(4);
        for (int i = 0; i < length; i++) {
            word.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return new Task(name(), verb + ": " + word, answer(word.toString()));
    }

    @Override
    public Grade closeness(String prompt, String reference, String answer) {
        if (answer.equals(reference)) {
            return new Grade(5, "right");
        }
        if (sameLetters(answer, reference)) {
            int misplaced = 0;
            for (int i = 0; i < answer.length(); i++) {
                if (answer.charAt(i) != reference.charAt(i)) {
                    misplaced++;
                }
            }
            return misplaced <= 2 ? new Grade(4, "two letters swapped") : new Grade(3, "order wrong");
        }
        if (Math.abs(answer.length() - reference.length()) <= 1) {
            return new Grade(2, "wrong letters");
        }
        return new Grade(1, "wrong");
    }

    @Override
    public String mistake(Task task, Random random) {
        String reference = task.reference();
        String word = task.prompt().substring(task.prompt().indexOf(':') + 2);
        return switch (random.nextInt(4)) {
            case 0 -> swapTwo(reference, random);
            case 1 -> word;
            case 2 -> reference.substring(0, reference.length() - 1);
            default -> reference + LETTERS.charAt(random.nextInt(LETTERS.length()));
        };
    }

    private static String swapTwo(String text, Random random) {
        char[] chars = text.toCharArray();
        int i = random.nextInt(chars.length);
        int j = (i + 1 + random.nextInt(chars.length - 1)) % chars.length;
        char swap = chars[i];
        chars[i] = chars[j];
        chars[j] = swap;
        return new String(chars);
    }

    private static boolean sameLetters(String a, String b) {
        char[] x = a.toCharArray();
        char[] y = b.toCharArray();
        Arrays.sort(x);
        Arrays.sort(y);
        return Arrays.equals(x, y);
    }
}
