package dev.fleetbackup.shard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which members this replica may write to now: the ones {@link BoundedLoadRing} assigns to it among
 * the live replicas, once it may be sure no other replica still writes to them. Fed by the replica's
 * Lease keeper (its own renewals, the Leases it lists every retry period) and by each pass (the
 * members of the policies it applies); asked before each write.
 *
 * <p>Why no member is written by two replicas at once, with {@code L} the lease duration and
 * {@code D} the renew deadline ({@code D < L}), as in leader election:
 *
 * <ul>
 *   <li>A replica writes nothing unless its own last renewal and its last list of the Leases both
 *       began less than {@code D} ago: cut off from the management cluster, it stops within {@code D}.
 *   <li>A peer's Lease is live until it has been seen unchanged for {@code L}, by this replica's own
 *       clock (no two clocks are compared): a peer is taken for dead only after it must have stopped.
 *       A member whose owner died is taken over at once then.
 *   <li>A member that moves between two live replicas (one joined, or the bound shifted it) is taken
 *       by its new owner only {@code D} after it saw the move, and after its own Lease announced the
 *       member set it computed it from: by then the old owner has listed the Leases again and given
 *       the member up, or written nothing for {@code D}. The old owner gives it up at once.
 *   <li>The assignment depends on the member set too, and replicas may be on different commits for a
 *       while: each announces the digest of its member names in its Lease, and while a live peer
 *       announces another, a replica takes no new member and keeps only those it held and still
 *       holds by its own set. Peers that announce nothing yet (no commit applied) are not counted.
 * </ul>
 */
public final class Claims {
  /** How a replica's Lease is kept: its duration, and how long a replica goes on without renewing it. */
  public record Timings(Duration leaseDuration, Duration renewDeadline) {
    public Timings {
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      Objects.requireNonNull(renewDeadline, "renewDeadline");
      if (leaseDuration.compareTo(renewDeadline) <= 0) {
        throw new IllegalArgumentException("the lease duration must be longer than the renew deadline");
      }
    }
  }

  /**
   * One replica's Lease as listed.
   *
   * @param version changes with every renewal (the Lease's resourceVersion)
   * @param members the digest of the member names it reconciles ({@link #digest}); empty before its first pass
   * @param released its replica stopped and gave its members up (a clean shutdown): as good as run out
   */
  public record Peer(String identity, String version, Optional<String> members, boolean released) {
    public Peer {
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(members, "members");
    }
  }

  /** Where this replica stands, for the log and the tests. */
  public record View(List<String> replicas, Set<String> owned, Set<String> settling, boolean agreed) {
    public View {
      replicas = List.copyOf(replicas);
      owned = Set.copyOf(owned);
      settling = Set.copyOf(settling);
    }
  }

  private record Seen(String version, Instant since, Optional<String> members, boolean released) {}

  private final String self;
  private final Timings timings;
  private final Clock clock;

  private Optional<Instant> renewed = Optional.empty();
  private Optional<Instant> listed = Optional.empty();
  private final Map<String, Seen> peers = new HashMap<>();
  private Set<String> members = Set.of();
  private Optional<String> digest = Optional.empty();
  /** When its Lease first announced {@link #digest}: until then the others may not count it in. */
  private Optional<Instant> announcedAt = Optional.empty();
  /** Members this replica holds or is taking, with when it may write to them. */
  private final Map<String, Instant> mine = new HashMap<>();
  /** The last assignment made while every live replica agreed on the member set. */
  private Map<String, String> agreedAssignment = Map.of();
  private View view = new View(List.of(), Set.of(), Set.of(), false);

  public Claims(String self, Timings timings, Clock clock) {
    this.self = self;
    this.timings = timings;
    this.clock = clock;
  }

  public String self() {
    return self;
  }

  /** Its own Lease was renewed by a request begun at {@code began}, announcing {@code carried}. */
  public synchronized void renewed(Instant began, Optional<String> carried) {
    renewed = Optional.of(began);
    if (announcedAt.isEmpty() && carried.isPresent() && carried.equals(digest)) {
      announcedAt = Optional.of(began);
      evaluate();
    }
  }

  /** The members of the policies a pass applies now: its selection follows. */
  public synchronized void members(Set<String> names) {
    Optional<String> next = Optional.of(digest(names));
    if (!next.equals(digest)) {
      announcedAt = Optional.empty();
    }
    members = Set.copyOf(names);
    digest = next;
    evaluate();
  }

  /** What this replica announces in its Lease: the digest of its member names, once a pass gave them. */
  public synchronized Optional<String> announced() {
    return digest;
  }

  /** Every replica Lease in the namespace, its own included, as a list begun at {@code began} found them. */
  public synchronized void listed(Instant began, List<Peer> leases) {
    listed = Optional.of(began);
    Instant now = clock.instant();
    Map<String, Seen> next = new HashMap<>();
    for (Peer p : leases) {
      Seen before = peers.get(p.identity());
      next.put(p.identity(), before != null && before.version().equals(p.version())
          ? new Seen(p.version(), before.since(), p.members(), p.released())
          : new Seen(p.version(), now, p.members(), p.released()));
    }
    peers.clear();
    peers.putAll(next);
    evaluate();
  }

  /** Whether this replica may write to {@code member} now. */
  public synchronized boolean holds(String member) {
    Instant now = clock.instant();
    Instant from = mine.get(member);
    return fresh(now) && from != null && !now.isBefore(from);
  }

  /** Whether its own Lease is held: renewed within the renew deadline. */
  public synchronized boolean held() {
    return renewed.map(r -> clock.instant().isBefore(r.plus(timings.renewDeadline()))).orElse(false);
  }

  /** The members it may write to now, of {@code names}. */
  public synchronized Set<String> owned(Set<String> names) {
    Set<String> out = new TreeSet<>();
    names.stream().filter(this::holds).forEach(out::add);
    return out;
  }

  public synchronized View view() {
    return view;
  }

  private boolean fresh(Instant now) {
    Duration d = timings.renewDeadline();
    return renewed.isPresent() && listed.isPresent() && now.isBefore(renewed.get().plus(d)) && now.isBefore(listed.get().plus(d));
  }

  private void evaluate() {
    Instant now = clock.instant();
    if (!fresh(now) || digest.isEmpty()) {
      mine.clear();
      view = new View(List.of(), Set.of(), Set.of(), false);
      return;
    }
    TreeSet<String> live = new TreeSet<>();
    boolean agreed = true;
    for (Map.Entry<String, Seen> p : peers.entrySet()) {
      Seen seen = p.getValue();
      if (p.getKey().equals(self) || !expired(p.getKey(), now) && seen.members().isPresent()) {
        if (!p.getKey().equals(self) && !seen.members().equals(digest)) {
          agreed = false;
        }
        live.add(p.getKey());
      }
    }
    live.add(self);
    agreed = agreed && announcedAt.isPresent();
    Map<String, String> assignment = BoundedLoadRing.assign(live, members);
    // a member no longer assigned here is given up at once, agreed or not
    mine.keySet().removeIf(m -> !self.equals(assignment.get(m)));
    if (agreed) {
      for (Map.Entry<String, String> a : assignment.entrySet()) {
        if (a.getValue().equals(self) && !mine.containsKey(a.getKey())) {
          String before = agreedAssignment.get(a.getKey());
          boolean ownerDied = before != null && !before.equals(self) && expired(before, now);
          mine.put(a.getKey(), ownerDied ? now : now.plus(timings.renewDeadline()));
        }
      }
      agreedAssignment = assignment;
    }
    Set<String> owned = new TreeSet<>();
    Set<String> settling = new TreeSet<>();
    mine.forEach((m, from) -> (now.isBefore(from) ? settling : owned).add(m));
    view = new View(List.copyOf(live), owned, settling, agreed);
  }

  /**
   * Whether a peer's Lease ran out: seen unchanged for the lease duration, or released by its
   * replica. A Lease deleted is no proof its replica stopped.
   */
  private boolean expired(String identity, Instant now) {
    Seen seen = peers.get(identity);
    return seen != null && (seen.released() || !now.isBefore(seen.since().plus(timings.leaseDuration())));
  }

  /** The digest of a member set: the same for the same names on every replica. */
  public static String digest(Set<String> names) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String name : new TreeSet<>(names)) {
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
