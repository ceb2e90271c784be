/**
 * What the command line shows in the terminal, shared by every command: the progress of long work ({@link
 * org.tsr.standalone.console.ProgressView}) and {@link org.tsr.standalone.console.UserError}, a mistake told in one
 * line with a non-zero exit.
 */
package org.tsr.standalone.console;
