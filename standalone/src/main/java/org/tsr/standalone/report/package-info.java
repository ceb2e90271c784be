/**
 * The experiment's report, from the runs' saved reports: the figures read from them ({@link
 * org.tsr.standalone.report.IterationFigures}, {@link org.tsr.standalone.report.ExperimentSummary}, the
 * {@code summary.json}), the verdict, the tables, the time split and the charts, each computed apart, and {@link
 * org.tsr.standalone.report.ExperimentReport}, which writes them. Every number is written the same in every locale.
 */
package org.tsr.standalone.report;
