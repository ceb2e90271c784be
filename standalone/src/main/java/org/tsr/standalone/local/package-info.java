/**
 * The platform on this machine as the commands start it: the checks before anything starts (output folder, ports,
 * database), the database (given or embedded PostgreSQL), the five services on consecutive ports, and the client of
 * the gateway's REST API the experiments drive them through.
 */
package org.tsr.standalone.local;
