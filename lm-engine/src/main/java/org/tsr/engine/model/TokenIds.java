package org.tsr.engine.model;

/** Checks token ids before they reach the embedding, where a bad id fails without saying which. */
public final class TokenIds {

    private TokenIds() {}

    public static void requireInVocabulary(long[] ids, int vocabSize, String what) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException(what + " has token id " + ids[i] + " at position " + i
                        + ", outside the vocabulary of " + vocabSize);
            }
        }
    }
}
