using Microsoft.Extensions.Options;

namespace Learning.Api.Http;

/// <summary>Limits of the HTTP surface (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest JSON request body accepted; larger ones answer 413.</summary>
    public int MaxJsonBodyBytes { get; set; } = 64 * 1024;
}

internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options) =>
        options.MaxJsonBodyBytes is < 1024 or > 16 * 1024 * 1024
            ? ValidateOptionsResult.Fail("Api:MaxJsonBodyBytes must be between 1024 and 16777216.")
            : ValidateOptionsResult.Success;
}
