using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

/// <summary>The optional reuse grace and the absolute family lifetime of refresh tokens, over HTTP.</summary>
[Collection(TokenPolicyCollection.Name)]
public sealed class RefreshPolicyApiTests(TokenPolicyApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task A_retry_with_the_just_rotated_token_within_the_grace_gets_a_fresh_pair_of_the_same_family()
    {
        var session = await _api.SignUp();
        var rotated = (await Refresh(session.Refresh)).AssertStatus(HttpStatusCode.OK);

        factory.Clock.Advance(TokenPolicyApiFactory.ReuseGrace - TimeSpan.FromSeconds(1));
        var retried = (await Refresh(session.Refresh)).AssertStatus(HttpStatusCode.OK);
        var retriedRefresh = retried.Json.GetProperty("refresh").GetString()!;
        Assert.NotEqual(rotated.Json.GetProperty("refresh").GetString(), retriedRefresh);
        (await _api.Get("/api/auth/me", session.Access)).AssertStatus(HttpStatusCode.OK);
        (await _api.Get("/api/auth/me", retried.Json.GetProperty("access").GetString())).AssertStatus(HttpStatusCode.OK);

        var next = (await Refresh(retriedRefresh)).AssertStatus(HttpStatusCode.OK);
        factory.Clock.Advance(TokenPolicyApiFactory.ReuseGrace + TimeSpan.FromSeconds(1));

        (await Refresh(retriedRefresh)).AssertProblem(HttpStatusCode.Unauthorized, "token_reused");
        (await _api.Get("/api/auth/me", next.Json.GetProperty("access").GetString())).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
    }

    [Fact]
    public async Task A_family_ends_at_its_absolute_lifetime_however_often_it_rotated()
    {
        var session = await _api.SignUp();
        var refresh = session.Refresh;
        foreach (var _ in Enumerable.Range(0, 2))
        {
            factory.Clock.Advance(TokenPolicyApiFactory.TokenLifetime - TimeSpan.FromHours(1));
            refresh = (await Refresh(refresh)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("refresh").GetString()!;
        }

        factory.Clock.Advance(TimeSpan.FromHours(3));

        (await Refresh(refresh)).AssertProblem(HttpStatusCode.Unauthorized, "invalid_token");
        (await _api.Login(session.Email)).AssertStatus(HttpStatusCode.OK);
    }

    private Task<ApiResponse> Refresh(string refresh) => _api.Post("/api/auth/refresh", new { refresh });
}
