using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Learning.Accounts;
using Learning.Api.Auth;
using Learning.Api.Media;
using Learning.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Learning.Benchmarks;

/// <summary>
/// The checks a request pays for before any grain call: the access token (HS256, issuer, audience, lifetime, as the
/// API's bearer scheme validates it) and, on the media route, the signed URL.
/// </summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private readonly JsonWebTokenHandler handler = new();
    private TokenValidationParameters parameters = null!;
    private string token = null!;
    private MediaUrlSigner signer = null!;
    private (string Lesson, string? Session, string? User, string? Exp, string? Kid, string? File, string? Sig) url;

    [GlobalSetup]
    public void Setup()
    {
        var jwt = new JwtOptions { SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)) };
        token = new AccessTokenIssuer(Options.Create(jwt), TimeProvider.System)
            .Issue(new TokenGrant(Guid.NewGuid(), Role.Student, Guid.NewGuid(), "refresh")).Access;
        parameters = AuthenticationSetup.TokenValidation(jwt, TimeProvider.System, TimeSpan.Zero);

        var media = new MediaOptions { SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)), PublicBaseUrl = "http://127.0.0.1" };
        signer = new MediaUrlSigner(Options.Create(media), TimeProvider.System);
        var signed = new Uri(signer.Sign(new DefaultHttpContext().Request, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(2), null));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(signed.Query);
        url = (signed.Segments[^1], query["session"], query["user"], query["exp"], query["kid"], null, query["sig"]);
    }

    [Benchmark(Baseline = true)]
    public async Task<bool> ValidateAccessToken() => (await handler.ValidateTokenAsync(token, parameters)).IsValid;

    [Benchmark]
    public bool VerifyMediaUrl() => signer.Verify(url.Lesson, url.Session, url.User, url.Exp, url.Kid, url.File, url.Sig).Grant is not null;
}
