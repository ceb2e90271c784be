package org.tsr.tasks;

import java.util.Random;

/** "add: 23+45" answered "68". */
final class AddNumbers extends NumberTask {

    @Override
    public String name() {
        return "add";
    }

    @Override
    public Task sample(Random random) {
        int a = random.nextInt(100);
        int b = random.nextInt(100);
        return new Task(name(), "add: " + a + "+" + b, Integer.toString(a + b));
    }

    @Override
    Grade near(int distance) {
        if (distance == 1) {
            return new Grade(4, "off by one");
        }
        return distance <= 10 ? new Grade(3, "close") : new Grade(2, "far off");
    }

    @Override
    public String mistake(Task task, Random random) {
        int sum = Integer.parseInt(task.reference());
        return switch (random.nextInt(4)) {
            case 0 -> Integer.toString(sum + (random.nextBoolean() ? 1 : -1));
            case 1 -> Integer.toString(sum + 2 + random.nextInt(9));
            case 2 -> task.prompt().substring(task.prompt().indexOf(':') + 2).replace("+", "");
            default -> Integer.toString(random.nextInt(200));
        };
    }
}
