using Microsoft.IdentityModel.JsonWebTokens;

namespace Learning.Api.Auth;

/// <summary>The claims our access tokens carry, by what they mean here.</summary>
public static class ClaimNames
{
    public const string UserId = JwtRegisteredClaimNames.Sub;

    /// <summary>The refresh-token family the access token was minted for; revoking the family revokes it.</summary>
    public const string FamilyId = JwtRegisteredClaimNames.Sid;

    public const string Role = "role";
}
