/**
 * {@code tsr judge-study}: how well M0's self-judge orders its own samples like the oracle, per model size and EFT
 * budget. The runner ({@link org.tsr.standalone.judgestudy.JudgeStudy}) walks the grid; {@link
 * org.tsr.standalone.judgestudy.PointMeasurement} measures a point through the gateway and {@link
 * org.tsr.standalone.judgestudy.StudyPoint} computes its agreement; {@link org.tsr.standalone.judgestudy.StudyFolder}
 * and {@link org.tsr.standalone.judgestudy.JudgeStudyReport} write the folder and the report.
 */
package org.tsr.standalone.judgestudy;
