/**
 * The {@code tsr} command line: the picocli commands ({@code demo}, {@code serve}, {@code judge-study},
 * {@code export-suite}) and their options. The commands check their options and hand the work to {@code experiment},
 * {@code judgestudy} or {@code local}; what those show in the terminal is in {@code console}.
 */
package org.tsr.standalone.cli;
