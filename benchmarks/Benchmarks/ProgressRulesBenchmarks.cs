using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Learning.Progress;

namespace Learning.Benchmarks;

/// <summary>Progress bookkeeping on every heartbeat: the beat's credited span merged into the lesson's watched spans.</summary>
[MemoryDiagnoser]
public class ProgressRulesBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private LessonProgress progress = null!;
    private ImmutableArray<WatchedSpan> scattered;

    [GlobalSetup]
    public void Setup()
    {
        progress = ProgressRules.Record(ProgressRules.New(Guid.NewGuid(), Guid.NewGuid(), 600), 120, 120, 600, Now);
        // A learner who skipped around: 20 disjoint spans.
        scattered = [.. Enumerable.Range(0, 20).Select(i => new WatchedSpan(i * 30, i * 30 + 10))];
    }

    /// <summary>The common case: playing on from the end of the one watched span.</summary>
    [Benchmark(Baseline = true)]
    public LessonProgress RecordContinuousBeat() => ProgressRules.Record(progress, 135, 15, 600, Now);

    [Benchmark]
    public ImmutableArray<WatchedSpan> MergeIntoScatteredSpans() => ProgressRules.Merge(scattered, new WatchedSpan(95, 215));
}
