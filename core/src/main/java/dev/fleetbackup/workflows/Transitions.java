package dev.fleetbackup.workflows;

import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.ResourceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives conditions their {@code lastTransitionTime} as kstatus means it: the time the status last
 * changed. A condition whose status is as the last pass found it keeps its time; a new one takes
 * the time the objects show (so a restarted reconciler reports the same), or else now. Only this
 * cosmetic memory lives between passes; no decision depends on it.
 */
final class Transitions {
  private record Key(ResourceId id, String type) {}

  private final Map<Key, Condition> last = new HashMap<>();
  private final Set<Key> seen = new HashSet<>();

  synchronized List<Condition> stamp(ResourceId id, List<Draft> drafts, Instant now) {
    List<Condition> out = new ArrayList<>();
    for (Draft d : drafts) {
      Key key = new Key(id, d.type());
      Condition before = last.get(key);
      Instant time = before != null && before.status() == d.status() ? before.lastTransitionTime() : d.since().orElse(now);
      Condition c = new Condition(d.type(), d.status(), d.reason(), d.message(), time);
      last.put(key, c);
      seen.add(key);
      out.add(c);
    }
    return out;
  }

  /** Forgets the conditions no workflow reported since the last call: removed policies, ended states. */
  synchronized void forgetUnseen() {
    last.keySet().retainAll(seen);
    seen.clear();
  }
}
