package org.tsr.engine.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * A model parameter under its Hugging Face checkpoint name, with the shape the config demands.
 *
 * @param name the checkpoint name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 */
public record NamedParameter(String name, Parameter parameter, Shape shape) {}
