package org.tsr.tasks;

import java.util.Random;

/** "count a: abacad" answered "3". */
final class CountLetter extends NumberTask {

    private static final String LETTERS = "abcdef";

    @Override
    public String name() {
        return "count";
    }

    @Override
    public Task sample(Random random) {
        char target = LETTERS.charAt(random.nextInt(LETTERS.length()));
        StringBuilder word = new StringBuilder();
        int count = 0;
        int length = 4 + random.nextInt(5);
        for (int i = 0; i < length; i++) {
            char letter = LETTERS.charAt(random.nextInt(LETTERS.length()));
            word.append(letter);
            count += letter == target ? 1 : 0;
        }
        return new Task(name(), "count " + target + ": " + word, Integer.toString(count));
    }

    @Override
    Grade near(int distance) {
        return distance == 1 ? new Grade(3, "off by one") : new Grade(2, "far off");
    }

    @Override
    public String mistake(Task task, Random random) {
        int count = Integer.parseInt(task.reference());
        return switch (random.nextInt(3)) {
            case 0 -> Integer.toString(count + 1);
            case 1 -> Integer.toString(Math.max(0, count - 1));
            default -> Integer.toString(count + 2 + random.nextInt(3));
        };
    }
}
