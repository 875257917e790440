package dev.fleetbackup.pipeline;

import dev.fleetbackup.validate.ValidationReport;
import java.util.List;

/** The result of one diff or apply pass over the fleet. */
public sealed interface PassReport permits PassReport.Invalid, PassReport.Completed {

  /** The config repo is invalid; no cluster was contacted. */
  record Invalid(ValidationReport validation) implements PassReport {}

  /** Every selected member was tried; each has its result, in cluster order. */
  record Completed(String revision, List<MemberResult> members) implements PassReport {
    public Completed {
      members = List.copyOf(members);
    }

    public boolean anyFailed() {
      return members.stream().anyMatch(m -> m instanceof MemberResult.Failed
          || m instanceof MemberResult.Applied a && !(a.result() instanceof dev.fleetbackup.apply.ApplyResult.Applied ok && ok.succeeded()));
    }
  }
}
