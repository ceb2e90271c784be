/**
 * The {@code tsr} command line: the picocli commands ({@code demo}, {@code serve}, {@code judge-study},
 * {@code export-suite}) and their options, the progress shown in the terminal, and {@link
 * org.tsr.standalone.cli.UserError}, a mistake told in one line. The commands check their options and hand the work to
 * {@code experiment}, {@code judgestudy} or {@code local}.
 */
package org.tsr.standalone.cli;
