package org.tsr.tasks;

/** "reverse: dbca" answered "acbd". */
final class ReverseWord extends LetterTask {

    ReverseWord() {
        super("reverse");
    }

    @Override
    public String name() {
        return "reverse";
    }

    @Override
    String answer(String word) {
        return new StringBuilder(word).reverse().toString();
    }
}
