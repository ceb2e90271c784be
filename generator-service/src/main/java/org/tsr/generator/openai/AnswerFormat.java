package org.tsr.generator.openai;

import java.util.List;
import org.tsr.engine.sampling.DecodedToken;

/** How one endpoint writes its answer: whole, or as the chunks of a server-sent event stream. */
interface AnswerFormat {

    /** The answer once every choice is complete. */
    Object whole(List<Choice> choices, Usage usage);

    /** The chunks that open a stream of {@code choices} choices, before any token. */
    List<Object> opening(int choices);

    /** The chunks a decoded token of choice {@code index} makes: its text, and its end if it is the last. */
    List<Object> chunks(int index, DecodedToken token);

    /** The chunk of token counts that ends a stream which asked for it. */
    Object usage(Usage usage);
}
