using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Learning.TestSupport;

/// <summary>Access tokens made by the tests themselves: forged, expired, or signed with a key of their choosing.</summary>
public static class TokenMinter
{
    /// <summary>The claims of a session's access token that name its user and family, with the role given.</summary>
    public static Dictionary<string, object> ClaimsOf(Session session, string role = "student")
    {
        var claims = new JsonWebToken(session.Access).Claims;
        return new Dictionary<string, object>
        {
            ["sub"] = claims.First(c => c.Type == "sub").Value,
            ["sid"] = claims.First(c => c.Type == "sid").Value,
            ["role"] = role,
        };
    }

    public static string Mint(Dictionary<string, object> claims, string key, DateTimeOffset notBefore, DateTimeOffset expires, string? keyId = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "orleans-learning",
            Audience = "orleans-learning-clients",
            NotBefore = notBefore.UtcDateTime,
            IssuedAt = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)) { KeyId = keyId }, SecurityAlgorithms.HmacSha256),
        });
}
