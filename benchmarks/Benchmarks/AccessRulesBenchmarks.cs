using BenchmarkDotNet.Attributes;
using Learning.Access;

namespace Learning.Benchmarks;

/// <summary>The access decision (subscription mode, an active subscription and a grant), and the cached check a heartbeat makes.</summary>
[MemoryDiagnoser]
public class AccessRulesBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly AccessOptions options = new() { Mode = AccessMode.Subscription };
    private AccessState state = null!;
    private DateTimeOffset holdsUntil;

    [GlobalSetup]
    public void Setup()
    {
        var subscription = new SubscriptionRecord("sub_1", "cus_1", "active", "monthly", Now.AddDays(20), false, null, Now, Now);
        state = new AccessState { Subscription = subscription };
        holdsUntil = AccessRules.HoldsUntil(AccessRules.Decide(state, false, Now, options));
    }

    [Benchmark(Baseline = true)]
    public AccessDecision Decide() => AccessRules.Decide(state, false, Now, options);

    /// <summary>What a heartbeat pays: one comparison with the end of access cached at the last decision.</summary>
    [Benchmark]
    public bool HeartbeatCheck() => Now < holdsUntil;
}
