package org.tsr.trainer.process;

import java.nio.file.Path;

/** The trainer process's command line. */
record ProcessArguments(
        Path exportFolder, String device, int threads, int referenceBatchPairs, boolean exitWithParent) {

    static final String USAGE = "usage: TrainingProcess EXPORT_FOLDER [--device cpu|gpu0] [--threads N]"
            + " [--reference-batch-pairs N] [--exit-with-parent]";

    /** @throws IllegalArgumentException naming the argument at fault, with the usage */
    static ProcessArguments parse(String[] args) {
        Path folder = null;
        String device = "cpu";
        int threads = 0;
        int referenceBatchPairs = 8;
        boolean exitWithParent = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--device" -> device = value(args, ++i, "--device");
                case "--threads" -> threads = number(args, ++i, "--threads", 0);
                case "--reference-batch-pairs" -> referenceBatchPairs = number(args, ++i, "--reference-batch-pairs", 1);
                case "--exit-with-parent" -> exitWithParent = true;
                default -> {
                    if (args[i].startsWith("--") || folder != null) {
                        throw new IllegalArgumentException("unexpected argument " + args[i] + "; " + USAGE);
                    }
                    folder = Path.of(args[i]);
                }
            }
        }
        if (folder == null) {
            throw new IllegalArgumentException("the export folder is missing; " + USAGE);
        }
        return new ProcessArguments(folder.toAbsolutePath(), device, threads, referenceBatchPairs, exitWithParent);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value; " + USAGE);
        }
        return args[i];
    }

    private static int number(String[] args, int i, String name, int min) {
        String value = value(args, i, name);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got " + value);
        }
    }
}
