package org.tsr.store.prompt;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Objects;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One prompt of a prompt set, in one split; ITERATION prompts carry the chunk that an iteration samples on. */
@Entity
@Table(name = "prompt")
public class Prompt {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private Long promptSetId;

    @Enumerated(EnumType.STRING)
    private PromptSplit split;

    private Integer chunk;
    private int position;
    private String text;
    private String referenceAnswer;
    private String taskFamily;

    @JdbcTypeCode(SqlTypes.JSON)
    private String metadata = "{}";

    protected Prompt() {}

    public Prompt(
            long promptSetId,
            PromptSplit split,
            Integer chunk,
            int position,
            String text,
            String referenceAnswer,
            String taskFamily) {
        if ((split == PromptSplit.ITERATION) != (chunk != null)) {
            throw new IllegalArgumentException("a chunk is required for ITERATION prompts and only for them");
        }
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("prompt text must not be empty");
        }
        this.promptSetId = promptSetId;
        this.split = Objects.requireNonNull(split, "split");
        this.chunk = chunk;
        this.position = position;
        this.text = text;
        this.referenceAnswer = referenceAnswer;
        this.taskFamily = taskFamily;
    }

    public void recordMetadata(String json) {
        metadata = Objects.requireNonNull(json, "json");
    }

    public Long getId() {
        return id;
    }

    public Long getPromptSetId() {
        return promptSetId;
    }

    public PromptSplit getSplit() {
        return split;
    }

    public Integer getChunk() {
        return chunk;
    }

    public int getPosition() {
        return position;
    }

    public String getText() {
        return text;
    }

    public String getReferenceAnswer() {
        return referenceAnswer;
    }

    public String getTaskFamily() {
        return taskFamily;
    }

    public String getMetadata() {
        return metadata;
    }
}
