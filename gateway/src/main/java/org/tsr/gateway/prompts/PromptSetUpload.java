package org.tsr.gateway.prompts;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.tsr.edge.StrictJson;
import org.tsr.gateway.runs.RunProblem;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.prompt.PromptSet;
import org.tsr.store.prompt.PromptSetRepository;
import org.tsr.store.prompt.PromptSplit;
import org.tsr.tasks.Oracle;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores a prompt set uploaded as JSON Lines, all or nothing: the first bad line stops the upload with an error that
 * names the line and what is wrong with it.
 */
@Service
class PromptSetUpload {

    private final PromptSetRepository promptSets;
    private final PromptRepository prompts;
    private final UploadLimits limits;
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    PromptSetUpload(PromptSetRepository promptSets, PromptRepository prompts, UploadLimits limits) {
        this.promptSets = promptSets;
        this.prompts = prompts;
        this.limits = limits;
    }

    record Uploaded(long id, String name, int prompts) {}

    /** The body, as UTF-8 JSON Lines, refused with 413 once it grows past the size limit. */
    Reader limited(InputStream body, long declaredLength) {
        long max = limits.maxSize().toBytes();
        if (declaredLength > max) {
            throw tooLarge(max);
        }
        InputStream bounded = new FilterInputStream(body) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) {
                read += n;
                if (read > max) {
                    throw tooLarge(max);
                }
            }
        };
        return new InputStreamReader(bounded, StandardCharsets.UTF_8);
    }

    private static RunProblem tooLarge(long max) {
        return new RunProblem(
                HttpStatus.CONTENT_TOO_LARGE,
                "body",
                "an upload holds at most " + max + " bytes (tsr.uploads.max-size)");
    }

    @Transactional
    public Uploaded upload(String name, String description, Reader body) {
        if (name == null || name.isBlank()) {
            throw new RunProblem(HttpStatus.BAD_REQUEST, "name", "a prompt set needs a name");
        }
        checkText("name", name, 200);
        if (description != null) {
            checkText("description", description, 2000);
        }
        if (promptSets.findByName(name).isPresent()) {
            throw new RunProblem(HttpStatus.CONFLICT, "name", "a prompt set named '" + name + "' already exists");
        }
        List<Integer> numbers = new ArrayList<>();
        List<PromptLine> lines = parse(body, numbers);
        if (lines.isEmpty()) {
            throw new RunProblem(HttpStatus.BAD_REQUEST, "body", "the upload holds no prompts");
        }
        refuseHeldOutLeaks(lines, numbers);
        PromptSet set;
        try {
            set = promptSets.saveAndFlush(new PromptSet(name, description));
        } catch (DataIntegrityViolationException e) {
            // another upload of the same name got there first
            throw new RunProblem(HttpStatus.CONFLICT, "name", "a prompt set named '" + name + "' already exists");
        }
        List<Prompt> rows = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            PromptLine line = lines.get(i);
            PromptSplit split = splitOf(line);
            Integer chunk = split == PromptSplit.ITERATION ? (line.chunk() == null ? 0 : line.chunk()) : null;
            rows.add(new Prompt(set.getId(), split, chunk, i, line.prompt(), line.reference(), line.family()));
        }
        prompts.saveAll(rows);
        return new Uploaded(set.getId(), name, rows.size());
    }

    /** An EVAL prompt that also appears among the ITERATION prompts would be trained on before it is evaluated. */
    private static void refuseHeldOutLeaks(List<PromptLine> lines, List<Integer> numbers) {
        Set<String> iteration = new HashSet<>();
        for (PromptLine line : lines) {
            if (splitOf(line) == PromptSplit.ITERATION) {
                iteration.add(line.prompt());
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            PromptLine line = lines.get(i);
            if (splitOf(line) == PromptSplit.EVAL && iteration.contains(line.prompt())) {
                throw new RunProblem(
                        HttpStatus.BAD_REQUEST,
                        "line " + numbers.get(i) + ": prompt",
                        "line " + numbers.get(i) + " is a held-out EVAL prompt that also appears among the ITERATION"
                                + " prompts; a held-out prompt must not be trained on");
            }
        }
    }

    private List<PromptLine> parse(Reader body, List<Integer> numbers) {
        List<PromptLine> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(body)) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (number > limits.maxLines()) {
                    throw new RunProblem(
                            HttpStatus.CONTENT_TOO_LARGE,
                            "body",
                            "an upload holds at most " + limits.maxLines() + " lines (tsr.uploads.max-lines)");
                }
                if (!text.isBlank()) {
                    lines.add(check(number, read(number, text)));
                    numbers.add(number);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    private PromptLine read(int number, String text) {
        try {
            return json.readValue(text, PromptLine.class);
        } catch (JacksonException e) {
            throw lineProblem(
                    number,
                    "is not a JSON object with prompt, split, chunk, reference and family: " + e.getOriginalMessage());
        }
    }

    private PromptLine check(int number, PromptLine line) {
        if (line.prompt() == null || line.prompt().isEmpty()) {
            throw lineProblem(number, "has no prompt");
        }
        checkLineText(number, "prompt", line.prompt());
        checkLineText(number, "reference", line.reference());
        checkLineText(number, "family", line.family());
        if (line.reference() != null && line.reference().isBlank()) {
            throw new RunProblem(
                    HttpStatus.BAD_REQUEST,
                    "line " + number + ": reference",
                    "line " + number + " has a blank reference; leave it out when there is none");
        }
        try {
            splitOf(line);
        } catch (IllegalArgumentException e) {
            throw lineProblem(number, "has split '" + line.split() + "'; use IFT, EFT, ITERATION or EVAL");
        }
        if (line.chunk() != null && line.chunk() < 0) {
            throw lineProblem(number, "has chunk " + line.chunk() + "; chunks count from 0");
        }
        // an EFT line's reference is a judgment, not an answer; every other line of a built-in family is graded by
        // that family's oracle, so a reference it cannot grade fails here instead of at the end of an iteration
        if (splitOf(line) != PromptSplit.EFT) {
            Oracle.family(line.family())
                    .flatMap(family -> family.referenceProblem(line.reference()))
                    .ifPresent(problem -> {
                        throw new RunProblem(
                                HttpStatus.BAD_REQUEST,
                                "line " + number + ": reference",
                                "line " + number + " has a " + line.family() + " prompt whose reference " + problem);
                    });
        }
        return line;
    }

    /**
     * The line's split, ITERATION when left out.
     *
     * @throws IllegalArgumentException for a split that is none of IFT, EFT, ITERATION and EVAL
     */
    private static PromptSplit splitOf(PromptLine line) {
        return line.split() == null
                ? PromptSplit.ITERATION
                : PromptSplit.valueOf(line.split().toUpperCase(Locale.ROOT));
    }

    private void checkLineText(int number, String field, String value) {
        if (value == null) {
            return;
        }
        String problem = value.length() > limits.maxFieldChars()
                ? "is longer than " + limits.maxFieldChars() + " characters (tsr.uploads.max-field-chars)"
                : StrictJson.problemIn(value);
        if (problem != null) {
            throw new RunProblem(
                    HttpStatus.BAD_REQUEST,
                    "line " + number + ": " + field,
                    "line " + number + " has a " + field + " that " + problem);
        }
    }

    private static void checkText(String field, String value, int maxChars) {
        String problem =
                value.length() > maxChars ? "is longer than " + maxChars + " characters" : StrictJson.problemIn(value);
        if (problem != null) {
            throw new RunProblem(HttpStatus.BAD_REQUEST, field, field + " " + problem);
        }
    }

    private static RunProblem lineProblem(int number, String problem) {
        return new RunProblem(HttpStatus.BAD_REQUEST, "line " + number, "line " + number + " " + problem);
    }
}
