using Learning.Accounts;
using Learning.Api.Security;
using Learning.Common;
using Learning.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Learning.Api.Auth;

/// <summary>
/// Mints access tokens for the grants the user's grain hands out; the grains never see the signing key. Times come from
/// the business clock, as the validation's do.
/// </summary>
public sealed class AccessTokenIssuer(IOptions<JwtOptions> options, [FromKeyedServices(Clock.ServiceKey)] TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public TokenPair Issue(TokenGrant grant)
    {
        var jwt = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + jwt.AccessTokenLifetime,
            Claims = new Dictionary<string, object>
            {
                [ClaimNames.UserId] = grant.UserId.ToString(),
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
                [ClaimNames.FamilyId] = grant.FamilyId.ToString(),
                [ClaimNames.Role] = grant.Role.WireName(),
            },
            // The key's id goes into the header (kid), so validation picks the key without trying each.
            SigningCredentials = new SigningCredentials(SecurityKey(jwt.Keys().Current), SecurityAlgorithms.HmacSha256),
        });
        return new TokenPair(token, grant.RefreshToken, "Bearer", (int)jwt.AccessTokenLifetime.TotalSeconds);
    }

    /// <summary>Every key tokens are accepted from: the current one and the previous ones.</summary>
    public static IEnumerable<SecurityKey> ValidationKeys(JwtOptions jwt) => jwt.Keys().All.Select(SecurityKey);

    private static SymmetricSecurityKey SecurityKey(SigningKey key) => new(key.Bytes) { KeyId = key.Id };
}
