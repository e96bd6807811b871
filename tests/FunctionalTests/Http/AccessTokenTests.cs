using System.Net;
using System.Security.Claims;
using System.Text;
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
        var token = Mint(SubjectOf(session), LearningApiFactory.SigningKey, DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1));
        (await _api.Get("/api/auth/me", token)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var session = await _api.SignUp();
        var token = Mint(SubjectOf(session), "some-other-signing-key-that-is-long-enough-xyz", DateTime.UtcNow, DateTime.UtcNow.AddHours(1));
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
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = SubjectOf(session),
        });
        Assert.EndsWith(".", unsigned);
        (await _api.Get("/api/auth/me", unsigned)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
    }

    [Fact]
    public async Task A_valid_token_minted_with_our_key_is_accepted()
    {
        // Proves the rejections above are about the one thing each test changes.
        var session = await _api.SignUp();
        var token = Mint(SubjectOf(session), LearningApiFactory.SigningKey, DateTime.UtcNow, DateTime.UtcNow.AddHours(1));
        (await _api.Get("/api/auth/me", token)).AssertStatus(HttpStatusCode.OK);
    }

    private static Dictionary<string, object> SubjectOf(Session session)
    {
        var claims = new JsonWebToken(session.Access).Claims;
        return new Dictionary<string, object>
        {
            ["sub"] = claims.First(c => c.Type == "sub").Value,
            ["sid"] = claims.First(c => c.Type == "sid").Value,
            ["role"] = "student",
        };
    }

    private static string Mint(Dictionary<string, object> claims, string key, DateTime notBefore, DateTime expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "orleans-learning",
            Audience = "orleans-learning-clients",
            NotBefore = notBefore,
            IssuedAt = notBefore,
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
}
