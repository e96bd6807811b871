using System.Text;
using Learning.Accounts;
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
            SigningCredentials = new SigningCredentials(SigningKey(jwt), SecurityAlgorithms.HmacSha256),
        });
        return new TokenPair(token, grant.RefreshToken, "Bearer", (int)jwt.AccessTokenLifetime.TotalSeconds);
    }

    public static SymmetricSecurityKey SigningKey(JwtOptions jwt) => new(Encoding.UTF8.GetBytes(jwt.SigningKey));
}
