using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Threading.RateLimiting;
using Learning.TestSupport;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Learning.FunctionalTests.Hardening;

/// <summary>
/// Each limiter trips exactly at its quota with 429 rate_limited and a Retry-After of its window, per client address,
/// and lets that client through again once its window has passed. Windows are an hour long, so no window can roll over
/// while a test runs (the quotas trip at an exact count, whatever the machine's speed); each test is its own client IP.
/// </summary>
[Collection(SmallQuotasCollection.Name)]
public sealed class RateLimitTests
{
    private readonly SmallQuotasFactory _factory;

    public RateLimitTests(SmallQuotasFactory factory) => _factory = factory;

    [Fact]
    public async Task Anonymous_requests_are_limited_per_client_ip_and_told_to_come_back_after_the_window()
    {
        var api = _factory.CreateApiClient("203.0.113.10");

        for (var i = 0; i < SmallQuotasFactory.Anonymous; i++)
        {
            (await api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK);
        }

        var limited = (await api.Get("/api/courses")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(SmallQuotasFactory.Window, limited.Headers.RetryAfter!.Delta);
        AssertHasEveryProblemMember(limited);
        // Probes are not metered, and another address has a quota of its own.
        (await api.Get("/health/live")).AssertStatus(HttpStatusCode.OK);
        (await _factory.CreateApiClient("203.0.113.11").Get("/api/courses")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sign_in_routes_have_a_tighter_limit_of_their_own()
    {
        var api = _factory.CreateApiClient("203.0.113.20");

        for (var i = 0; i < SmallQuotasFactory.SignIn; i++)
        {
            (await api.Login("nobody@example.com", "whatever-pass")).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var limited = (await api.Login("nobody@example.com", "whatever-pass")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(SmallQuotasFactory.Window, limited.Headers.RetryAfter!.Delta);
        AssertHasEveryProblemMember(limited);
        // It is the sign-in quota that tripped: the same address still has anonymous requests left (3 of 5 used).
        (await api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK);
    }

    /// <summary>
    /// Replenishment without waiting an hour. System.Threading.RateLimiting measures windows with Stopwatch, not a
    /// TimeProvider, so the fake clock cannot move them. Instead the test takes the very limiter the app made for this
    /// client's partition (the app's GlobalLimiter keeps one per key; a partitioned limiter owns its limiters'
    /// replenishment and calls their TryReplenish every 100 ms) and checks two things on it: TryReplenish before the
    /// window has passed lets nobody in, and replenishing at "now + window" (FixedWindowRateLimiter.ReplenishInternal,
    /// the hook the runtime's own tests use for exactly this) gives the client its whole quota back, over HTTP. The
    /// reflection is pinned: if the runtime renames these members the test fails, it does not pass silently.
    /// </summary>
    [Fact]
    public async Task A_tripped_client_gets_its_whole_quota_back_once_its_window_has_passed_and_not_before()
    {
        const string address = "203.0.113.30";
        var api = _factory.CreateApiClient(address);
        for (var i = 0; i < SmallQuotasFactory.Anonymous; i++)
        {
            (await api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK);
        }

        (await api.Get("/api/courses")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        var limiter = PartitionLimiter($"ip:{address}");
        Assert.Equal(SmallQuotasFactory.Window, limiter.ReplenishmentPeriod);

        Assert.True(limiter.TryReplenish());
        (await api.Get("/api/courses")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");

        ReplenishAsIfElapsed(limiter, SmallQuotasFactory.Window);

        for (var i = 0; i < SmallQuotasFactory.Anonymous; i++)
        {
            (await api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK);
        }

        (await api.Get("/api/courses")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    private ReplenishingRateLimiter PartitionLimiter(string key)
    {
        var global = _factory.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter;
        Assert.NotNull(global);
        var field = global.GetType().GetField("_limiters", BindingFlags.Instance | BindingFlags.NonPublic);
        Assert.True(field is not null, $"{global.GetType()} has no _limiters field any more; revisit this test's replenishment hook");
        var limiters = (Dictionary<string, Lazy<RateLimiter>>)field.GetValue(global)!;
        lock (limiters)
        {
            Assert.True(limiters.TryGetValue(key, out var limiter), $"no limiter for partition {key}; partitions: {string.Join(", ", limiters.Keys)}");
            return Assert.IsAssignableFrom<ReplenishingRateLimiter>(limiter.Value);
        }
    }

    private static void ReplenishAsIfElapsed(ReplenishingRateLimiter limiter, TimeSpan window)
    {
        var replenish = limiter.GetType().GetMethod("ReplenishInternal", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(long)]);
        Assert.True(replenish is not null, $"{limiter.GetType()} has no ReplenishInternal(long) any more; revisit this test's replenishment hook");
        var later = Stopwatch.GetTimestamp() + (long)Math.Ceiling(window.TotalSeconds * Stopwatch.Frequency);
        replenish.Invoke(limiter, [later]);
    }

    /// <summary>The contract's six members, the RFC 9457 ones and the two the original clients read.</summary>
    private static void AssertHasEveryProblemMember(ApiResponse problem)
    {
        var body = problem.Json;
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", body.GetProperty("type").GetString());
        Assert.Equal("Too Many Requests", body.GetProperty("title").GetString());
        Assert.Equal(429, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("detail").GetString()));
        Assert.Equal("rate_limited", body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    public sealed class SmallQuotasFactory : LearningApiFactory
    {
        public const int Anonymous = 5;
        public const int SignIn = 2;
        public static readonly TimeSpan Window = TimeSpan.FromHours(1);

        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("RateLimits:Enabled", "true"),
            new("RateLimits:AnonymousPermits", Anonymous.ToString()),
            new("RateLimits:AnonymousWindow", Window.ToString()),
            new("RateLimits:SignInPermits", SignIn.ToString()),
            new("RateLimits:SignInWindow", Window.ToString()),
            new("RateLimits:AuthenticatedPermits", "1000"),
        ];
    }
}

/// <summary>Signed-in users are metered per user, so one user's burst never throttles another.</summary>
public sealed class AuthenticatedRateLimitTests : IClassFixture<AuthenticatedRateLimitTests.PerUserQuotaFactory>
{
    private readonly PerUserQuotaFactory _factory;

    public AuthenticatedRateLimitTests(PerUserQuotaFactory factory) => _factory = factory;

    [Fact]
    public async Task A_users_quota_trips_for_that_user_only()
    {
        var api = _factory.CreateApiClient();
        var busy = await api.SignUp();
        var quiet = await api.SignUp();

        // An hour's window cannot roll over mid-test, so the quota trips at exactly its count.
        for (var i = 0; i < PerUserQuotaFactory.Permits; i++)
        {
            (await api.Get("/api/auth/me", busy.Access)).AssertStatus(HttpStatusCode.OK);
        }

        var limited = (await api.Get("/api/auth/me", busy.Access)).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(PerUserQuotaFactory.Window, limited.Headers.RetryAfter!.Delta);
        (await api.Get("/api/auth/me", quiet.Access)).AssertStatus(HttpStatusCode.OK);
    }

    public sealed class PerUserQuotaFactory : LearningApiFactory
    {
        public const int Permits = 4;
        public static readonly TimeSpan Window = TimeSpan.FromHours(1);

        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("RateLimits:Enabled", "true"),
            new("RateLimits:AuthenticatedPermits", Permits.ToString()),
            new("RateLimits:AuthenticatedWindow", Window.ToString()),
            new("RateLimits:AnonymousPermits", "1000"),
            new("RateLimits:SignInPermits", "1000"),
        ];
    }
}

/// <summary>The sign-in routes count against the client's address whatever bearer token comes with them.</summary>
public sealed class SignInWithTokenRateLimitTests
{
    [Fact]
    public async Task A_bearer_token_does_not_lift_the_anonymous_quota_of_sign_in_routes()
    {
        using var factory = new QuotasFactory(anonymous: 5, signIn: 1000);
        var api = factory.CreateApiClient();
        var session = await api.SignUp();

        var responses = new List<ApiResponse>();
        for (var i = 0; i < 5 && responses.All(r => r.Status != HttpStatusCode.TooManyRequests); i++)
        {
            responses.Add(await api.Post("/api/auth/login", new { email = "nobody@example.com", password = "whatever-pass" }, session.Access));
        }

        responses[^1].AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        (await api.Get("/api/auth/me", session.Access)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task With_a_valid_token_login_attempts_still_trip_the_per_ip_sign_in_limit()
    {
        using var factory = new QuotasFactory(anonymous: 1000, signIn: 4);
        var api = factory.CreateApiClient();
        var session = await api.SignUp();

        (await api.Post("/api/auth/login", new { email = "nobody@example.com", password = "whatever-pass" }, session.Access))
            .AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        (await api.Post("/api/auth/login", new { email = "nobody@example.com", password = "whatever-pass" }, session.Access))
            .AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        (await api.Post("/api/auth/login", new { email = "nobody@example.com", password = "whatever-pass" }, session.Access))
            .AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    private sealed class QuotasFactory(int anonymous, int signIn) : LearningApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("RateLimits:Enabled", "true"),
            new("RateLimits:AnonymousPermits", anonymous.ToString()),
            new("RateLimits:AnonymousWindow", "00:10:00"),
            new("RateLimits:SignInPermits", signIn.ToString()),
            new("RateLimits:SignInWindow", "00:10:00"),
            new("RateLimits:AuthenticatedPermits", "1000"),
        ];
    }
}
