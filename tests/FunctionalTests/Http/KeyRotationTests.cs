using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Web;
using Learning.Api.Media;
using Learning.Api.Security;
using Learning.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Learning.FunctionalTests.Http;

/// <summary>
/// A host that rotated both keys (the factory's usual keys are now the previous ones): it signs with the new keys and
/// still accepts what the previous ones signed, so nobody is signed out and no playing session breaks.
/// </summary>
[Collection(TokenPolicyCollection.Name)]
public sealed class KeyRotationTests(TokenPolicyApiFactory factory)
{
    private const string OldJwtKey = TokenPolicyApiFactory.OldJwtKey;
    private const string OldMediaKey = TokenPolicyApiFactory.OldMediaKey;

    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task New_tokens_carry_the_current_keys_id()
    {
        var session = await _api.SignUp();

        Assert.Equal(SigningKeyRing.IdOf(TokenPolicyApiFactory.NewJwtKey), new JsonWebToken(session.Access).Kid);
    }

    [Fact]
    public async Task A_token_signed_with_the_previous_key_still_works()
    {
        var session = await _api.SignUp();

        (await _api.Get("/api/auth/me", Mint(session, OldJwtKey, SigningKeyRing.IdOf(OldJwtKey)))).AssertStatus(HttpStatusCode.OK);
        // Tokens minted before keys had ids carry none.
        (await _api.Get("/api/auth/me", Mint(session, OldJwtKey, keyId: null))).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_signed_with_a_removed_key_is_401()
    {
        var session = await _api.SignUp();
        const string removed = "a-removed-signing-key-that-is-long-enough-0123456789";

        (await _api.Get("/api/auth/me", Mint(session, removed, SigningKeyRing.IdOf(removed)))).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
        (await _api.Get("/api/auth/me", Mint(session, removed, SigningKeyRing.IdOf(TokenPolicyApiFactory.NewJwtKey))))
            .AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
    }

    [Fact]
    public async Task A_media_url_signed_before_rotation_still_plays()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var url = new Uri((await _api.StartVideo(session, (await _api.LessonIds())[0], device)).AssertStatus(HttpStatusCode.Created)
            .Json.GetProperty("video_url").GetString()!);
        var query = HttpUtility.ParseQueryString(url.Query);
        var (lessonId, sessionId, userId) = (Guid.Parse(url.Segments[^1]), Guid.Parse(query["session"]!), Guid.Parse(query["user"]!));
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(query["exp"]!));
        var before = new MediaUrlSigner(Options.Create(new MediaOptions { SigningKey = OldMediaKey, PublicBaseUrl = "http://localhost" }), factory.Clock)
            .Sign(new DefaultHttpContext().Request, lessonId, sessionId, userId, expiresAt, mediaFile: null);

        Assert.Equal(SigningKeyRing.IdOf(TokenPolicyApiFactory.NewMediaKey), query["kid"]);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync(url.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync(before)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync(LegacyUrl(lessonId, sessionId, userId, query["exp"]!))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.Http.GetAsync(before.Replace(SigningKeyRing.IdOf(OldMediaKey), SigningKeyRing.IdOf(TokenPolicyApiFactory.NewMediaKey)))).StatusCode);
    }

    /// <summary>A URL handed out before media URLs carried a key id: the signature covers path, session, user and exp.</summary>
    private static string LegacyUrl(Guid lessonId, Guid sessionId, Guid userId, string exp)
    {
        var path = $"/media/lessons/{lessonId:D}";
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(OldMediaKey), Encoding.UTF8.GetBytes($"{path}\n{sessionId:D}\n{userId:D}\n{exp}"));
        return $"{path}?session={sessionId:D}&user={userId:D}&exp={exp}&sig={Base64Url.EncodeToString(mac)}";
    }

    private string Mint(Session session, string key, string? keyId) =>
        TokenMinter.Mint(TokenMinter.ClaimsOf(session), key, factory.Clock.GetUtcNow(), factory.Clock.GetUtcNow().AddHours(1), keyId);
}
