package org.tsr.generator.openai;

import java.util.List;
import org.tsr.contract.responses.FinishReason;
import org.tsr.engine.sampling.DecodedToken;

/**
 * One complete choice of a whole answer.
 *
 * @param tokens its tokens with their log-probabilities, in order; empty when none were asked for
 */
record Choice(int index, String text, FinishReason finishReason, List<DecodedToken> tokens) {}
