package dev.fleetbackup.workflows;

import dev.fleetbackup.model.ClusterRun;
import java.util.List;

/** A workflow as one read of the members shows it, before its conditions get their transition times. */
record Assessment(String phase, List<Draft> conditions, List<ClusterRun> clusters, List<String> problems) {
  Assessment {
    conditions = List.copyOf(conditions);
    clusters = List.copyOf(clusters);
    problems = List.copyOf(problems);
  }
}
