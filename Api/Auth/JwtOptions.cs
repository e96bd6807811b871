using Learning.Api.Security;
using Microsoft.Extensions.Options;

namespace Learning.Api.Auth;

/// <summary>Access-token settings (section <c>Jwt</c>).</summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";

    /// <summary>HMAC-SHA256 key, at least 32 bytes of UTF-8 (<see cref="SecretRules"/>). Required outside Development.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// Keys signed with before the last rotations: tokens they signed are still accepted (until they expire), new
    /// tokens are signed with <see cref="SigningKey"/>. Drop a key once the longest-lived token it signed has expired.
    /// </summary>
    public string[] PreviousSigningKeys { get; set; } = [];

    public SigningKeyRing Keys() => new(SigningKey, PreviousSigningKeys);

    public string Issuer { get; set; } = "orleans-learning";

    public string Audience { get; set; } = "orleans-learning-clients";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class JwtOptionsValidator(IHostEnvironment environment) : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var problems = new List<string>();
        if (SecretRules.CheckSigningKey("Jwt:SigningKey", options.SigningKey, environment) is { } keyProblem)
        {
            problems.Add(keyProblem);
        }

        for (var i = 0; i < options.PreviousSigningKeys.Length; i++)
        {
            if (SecretRules.CheckSigningKey($"Jwt:PreviousSigningKeys:{i}", options.PreviousSigningKeys[i], environment) is { } previousProblem)
            {
                problems.Add(previousProblem);
            }
        }

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            problems.Add("Jwt:Issuer must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            problems.Add("Jwt:Audience must not be empty.");
        }

        if (options.AccessTokenLifetime < TimeSpan.FromMinutes(1) || options.AccessTokenLifetime > TimeSpan.FromDays(1))
        {
            problems.Add("Jwt:AccessTokenLifetime must be between 1 minute and 1 day.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
