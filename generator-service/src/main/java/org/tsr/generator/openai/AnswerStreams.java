package org.tsr.generator.openai;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.tsr.engine.sampling.DecodedToken;
import org.tsr.engine.sampling.TokenFeed;
import org.tsr.generator.work.GeneratorProperties;
import org.tsr.inference.GeneratedText;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams answers as server-sent events in OpenAI's chunk format ({@code data: {...}}, then {@code data: [DONE]}),
 * each token's chunk written as the engine decodes it. Decoding runs on a bounded pool of threads
 * ({@code tsr.generator.stream-threads}, with as many streams waiting; more are refused with 429). A request is
 * answered once its decoding has begun, so one the backend refuses (an unknown model, a prompt longer than the
 * context) still gets its HTTP status and error object; a failure after that ends the stream with an error event. A
 * reader who goes away stops the decoding at the next token.
 */
@Component
class AnswerStreams implements DisposableBean {

    private final ThreadPoolExecutor decoding;
    private final long timeoutMillis;
    private final JsonMapper json;

    AnswerStreams(GeneratorProperties properties, JsonMapper json) {
        this.json = json;
        this.timeoutMillis = properties.streamTimeout().toMillis();
        AtomicInteger threads = new AtomicInteger();
        this.decoding = new ThreadPoolExecutor(
                properties.streamThreads(),
                properties.streamThreads(),
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.streamThreads()),
                runnable -> {
                    Thread thread = new Thread(runnable, "openai-stream-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * @param choices how many choices the answer has, each opened before the first token
     * @param sampling samples the answer, reporting its tokens to the feed it is given
     */
    ResponseEntity<ResponseBodyEmitter> stream(
            AnswerSettings settings,
            AnswerFormat format,
            int choices,
            Function<TokenFeed, List<List<GeneratedText>>> sampling) {
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(timeoutMillis);
        Stream stream = new Stream(emitter, settings, format, choices);
        emitter.onTimeout(stream::close);
        emitter.onError(failure -> stream.close());
        try {
            decoding.execute(() -> stream.run(sampling));
        } catch (RejectedExecutionException e) {
            throw new OpenAiException(
                    HttpStatus.TOO_MANY_REQUESTS,
                    null,
                    "rate_limit_exceeded",
                    "too many streamed answers at once on this server; retry shortly");
        }
        stream.awaitStart();
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .cacheControl(CacheControl.noCache())
                .body(emitter);
    }

    @Override
    public void destroy() {
        decoding.shutdownNow();
    }

    /** The reader has gone away, or the stream timed out: nothing more can be sent. */
    private static final class ReaderGone extends RuntimeException {

        ReaderGone() {
            super("the reader of the stream has gone away", null, false, false);
        }
    }

    /** One streamed answer, written from its decoding thread. */
    private final class Stream {

        private final ResponseBodyEmitter emitter;
        private final AnswerSettings settings;
        private final AnswerFormat format;
        private final int choices;
        private final CompletableFuture<Void> started = new CompletableFuture<>();
        private volatile boolean closed;

        Stream(ResponseBodyEmitter emitter, AnswerSettings settings, AnswerFormat format, int choices) {
            this.emitter = emitter;
            this.settings = settings;
            this.format = format;
            this.choices = choices;
        }

        void run(Function<TokenFeed, List<List<GeneratedText>>> sampling) {
            try {
                List<List<GeneratedText>> samples = sampling.apply(settings.feed(this::onToken));
                begin();
                if (settings.includeUsage()) {
                    send(format.usage(Usage.of(samples)));
                }
                write("[DONE]");
                emitter.complete();
            } catch (ReaderGone gone) {
                // the decoding stopped at the token after the reader left; there is no one to tell, and the request
                // thread must not wait for a start that will not come
                started.complete(null);
                emitter.complete();
            } catch (RuntimeException | Error e) {
                if (!started.completeExceptionally(e)) {
                    fail(e);
                }
            }
        }

        /** Waits until the decoding has begun; a failure before that is the request's answer. */
        void awaitStart() {
            try {
                started.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException failure
                        ? failure
                        : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new OpenAiException(
                        HttpStatus.SERVICE_UNAVAILABLE, null, null, "the server is shutting down; retry");
            }
        }

        void close() {
            closed = true;
        }

        private void onToken(DecodedToken token) {
            begin();
            for (Object chunk : format.chunks(settings.choiceIndex(token.promptIndex(), token.sampleIndex()), token)) {
                send(chunk);
            }
        }

        private void begin() {
            if (!started.isDone()) {
                for (Object chunk : format.opening(choices)) {
                    send(chunk);
                }
                started.complete(null);
            }
        }

        /** OpenAI's clients read an error object in the stream as the failure of the whole request. */
        private void fail(Throwable e) {
            try {
                send(OpenAiError.of(e).body());
                emitter.complete();
            } catch (ReaderGone gone) {
                emitter.complete();
            }
        }

        private void send(Object chunk) {
            write(json.writeValueAsString(chunk));
        }

        private void write(String data) {
            if (closed) {
                throw new ReaderGone();
            }
            try {
                emitter.send(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8), MediaType.TEXT_EVENT_STREAM);
            } catch (IOException | IllegalStateException e) {
                closed = true;
                throw new ReaderGone();
            }
        }
    }
}
