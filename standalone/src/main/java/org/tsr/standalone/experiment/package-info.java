/**
 * {@code tsr demo}'s experiment: its settings, the built-in model sizes, M0's SFT through the gateway, and the runner
 * that starts one SR or TSR run per method and judge, follows them and hands their reports to {@code report}.
 */
package org.tsr.standalone.experiment;
