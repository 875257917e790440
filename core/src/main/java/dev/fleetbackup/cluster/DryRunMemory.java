package dev.fleetbackup.cluster;

import dev.fleetbackup.plan.ObjectRef;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one member answered to the last server-side apply or dry run of each object, and what the
 * object was then: a dry run of the same manifest against the same live object gets the same
 * answer, so it need not be sent again. The live object is the same when its resourceVersion is,
 * or when only what the member changes on its own moved (its status, see {@link LiveDigest#ofLive}).
 * Anything else, on either side, sends the dry run.
 */
final class DryRunMemory {
  /** The answer to {@code manifest} (by digest) against the live object {@code liveVersion} / {@code liveDigest}. */
  record Answer(String manifestDigest, String liveVersion, String liveDigest, ObjectNode answer) {}

  private final Map<ObjectRef, Answer> answers = new ConcurrentHashMap<>();

  /**
   * The answer a dry run of {@code manifest} would get, when the member gave it before against the
   * same live object; empty when the dry run must be sent (nothing remembered, the manifest or the
   * live object changed, or there is no live object: a create is always checked by the server).
   */
  Optional<ObjectNode> answer(ObjectRef ref, ObjectNode manifest, Optional<ObjectNode> live) {
    Answer known = answers.get(ref);
    if (known == null || live.isEmpty() || !known.manifestDigest().equals(LiveDigest.of(manifest))) {
      return Optional.empty();
    }
    boolean same = known.liveVersion().equals(LiveDigest.resourceVersion(live.get()))
        || known.liveDigest().equals(LiveDigest.ofLive(live.get()));
    return same ? Optional.of(known.answer().deepCopy()) : Optional.empty();
  }

  /** The member answered {@code answer} to {@code manifest} while it held {@code live} (after an apply, the answer itself). */
  void remember(ObjectRef ref, ObjectNode manifest, JsonNode live, ObjectNode answer) {
    answers.put(ref, new Answer(LiveDigest.of(manifest), LiveDigest.resourceVersion(live), LiveDigest.ofLive(live),
        answer.deepCopy()));
  }

  void forget(ObjectRef ref) {
    answers.remove(ref);
  }

  /** What was remembered of {@code ref}, to tell a change someone else made from one fleet-backup made. */
  Optional<Answer> of(ObjectRef ref) {
    return Optional.ofNullable(answers.get(ref));
  }

  /** Whether {@code live} is the object as fleet-backup last left or saw it (its status aside). */
  boolean matches(ObjectRef ref, JsonNode live) {
    Answer known = answers.get(ref);
    return known != null && (known.liveVersion().equals(LiveDigest.resourceVersion(live))
        || known.liveDigest().equals(LiveDigest.ofLive(live)));
  }
}
