using Npgsql;
using Polly;
using Polly.Retry;

namespace Learning.Persistence;

/// <summary>
/// After PostgreSQL restarts, the pool still holds connections to the old server. Npgsql clears the pool when one of
/// them fails, but the statements already sent on them fail with it: without a retry, the first audit listing or
/// read-model write after every restart answers 503. The statements run through here are idempotent (reads, versioned
/// snapshots, audit inserts that skip known ids), so a transient failure is run again on a fresh connection, a few
/// times within about a second; a server that stays down still fails the call.
/// </summary>
public static class TransientRetry
{
    public const int MaxRetryAttempts = 3;

    public static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(exception => exception.IsTransient),
            MaxRetryAttempts = MaxRetryAttempts,
            Delay = TimeSpan.FromMilliseconds(100),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();
}
