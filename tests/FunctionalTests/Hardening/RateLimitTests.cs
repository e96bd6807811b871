using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Hardening;

/// <summary>Each limiter trips at its quota with 429 rate_limited and Retry-After, and lets requests through again after its window.</summary>
public sealed class RateLimitTests : IClassFixture<RateLimitTests.SmallQuotasFactory>
{
    private readonly SmallQuotasFactory _factory;

    public RateLimitTests(SmallQuotasFactory factory) => _factory = factory;

    [Fact]
    public async Task Anonymous_requests_are_limited_per_client_and_recover_after_the_window()
    {
        var api = _factory.CreateApiClient();

        // Back to back, a quota of 5 per 2 s must trip within 10 requests, whatever the window's phase.
        var responses = new List<ApiResponse>();
        for (var i = 0; i < 2 * SmallQuotasFactory.Anonymous && responses.All(r => r.Status != HttpStatusCode.TooManyRequests); i++)
        {
            responses.Add(await api.Get("/api/courses"));
        }

        var limited = responses[^1].AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 2);
        AssertHasEveryProblemMember(limited);
        (await api.Get("/health/live")).AssertStatus(HttpStatusCode.OK);
        await Task.Delay(SmallQuotasFactory.Window + TimeSpan.FromMilliseconds(200));
        (await api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sign_in_routes_have_a_tighter_limit_of_their_own()
    {
        var api = _factory.CreateApiClient();

        for (var i = 0; i < SmallQuotasFactory.SignIn; i++)
        {
            (await api.Login("nobody@example.com", "whatever-pass")).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var limited = (await api.Login("nobody@example.com", "whatever-pass")).AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter);
        AssertHasEveryProblemMember(limited);
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
        public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("RateLimits:Enabled", "true"),
            new("RateLimits:AnonymousPermits", Anonymous.ToString()),
            new("RateLimits:AnonymousWindow", Window.ToString()),
            new("RateLimits:SignInPermits", SignIn.ToString()),
            new("RateLimits:SignInWindow", TimeSpan.FromMinutes(5).ToString()),
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

        var responses = new List<ApiResponse>();
        for (var i = 0; i < 2 * PerUserQuotaFactory.Permits && responses.All(r => r.Status != HttpStatusCode.TooManyRequests); i++)
        {
            responses.Add(await api.Get("/api/auth/me", busy.Access));
        }

        responses[^1].AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        (await api.Get("/api/auth/me", quiet.Access)).AssertStatus(HttpStatusCode.OK);
    }

    public sealed class PerUserQuotaFactory : LearningApiFactory
    {
        public const int Permits = 4;

        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("RateLimits:Enabled", "true"),
            new("RateLimits:AuthenticatedPermits", Permits.ToString()),
            new("RateLimits:AuthenticatedWindow", "00:00:02"),
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
