using System.Net;
using Learning.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Learning.FunctionalTests.Http;

/// <summary>Every kind of bad bearer token is a 401 problem.</summary>
[Collection(ApiCollection.Name)]
public sealed class AccessTokenTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task A_missing_token_is_401() => (await _api.Get("/api/auth/me")).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");

    [Fact]
    public async Task A_malformed_token_is_401() => (await _api.Get("/api/auth/me", "not.a.jwt")).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var session = await _api.SignUp();
        var token = TokenMinter.Mint(TokenMinter.ClaimsOf(session), LearningApiFactory.SigningKey, Now.AddHours(-2), Now.AddHours(-1));
        (await _api.Get("/api/auth/me", token)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var session = await _api.SignUp();
        var token = TokenMinter.Mint(TokenMinter.ClaimsOf(session), "some-other-signing-key-that-is-long-enough-xyz", Now, Now.AddHours(1));
        (await _api.Get("/api/auth/me", token)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
    }

    [Fact]
    public async Task An_unsigned_alg_none_token_is_401()
    {
        var session = await _api.SignUp();
        var handler = new JsonWebTokenHandler();
        var unsigned = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "orleans-learning",
            Audience = "orleans-learning-clients",
            Expires = Now.AddHours(1).UtcDateTime,
            Claims = TokenMinter.ClaimsOf(session),
        });
        Assert.EndsWith(".", unsigned);
        (await _api.Get("/api/auth/me", unsigned)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
    }

    [Fact]
    public async Task A_valid_token_minted_with_our_key_is_accepted()
    {
        // Proves the rejections above are about the one thing each test changes.
        var session = await _api.SignUp();
        var token = TokenMinter.Mint(TokenMinter.ClaimsOf(session), LearningApiFactory.SigningKey, Now, Now.AddHours(1));
        (await _api.Get("/api/auth/me", token)).AssertStatus(HttpStatusCode.OK);
    }

    private DateTimeOffset Now => factory.Clock.GetUtcNow();
}
