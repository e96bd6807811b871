using Learning.Api.Security;
using Microsoft.Extensions.Options;

namespace Learning.Api.Media;

/// <summary>Signed media URLs and where lesson files live (section <c>Media</c>).</summary>
public sealed class MediaOptions
{
    public const string Section = "Media";

    /// <summary>HMAC-SHA256 key for media URLs, at least 32 bytes (<see cref="SecretRules"/>). Required outside Development.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>Keys media URLs were signed with before the last rotations; still accepted, never signed with.</summary>
    public string[] PreviousSigningKeys { get; set; } = [];

    public SigningKeyRing Keys() => new(SigningKey, PreviousSigningKeys);

    /// <summary>
    /// Folder of uploaded lesson files (<c>{lesson_id}/{upload}.mp4</c>); relative paths are under the content root.
    /// Every API instance of a deployment must see the same folder (a shared volume).
    /// </summary>
    public string Root { get; set; } = "media";

    /// <summary>Largest upload accepted; larger ones answer 413 before or while streaming, and leave nothing behind.</summary>
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;

    public const long DefaultMaxUploadBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Scheme and host put in front of media URLs, e.g. <c>https://cdn.example.com</c>; unset means the request's own.</summary>
    public string? PublicBaseUrl { get; set; }
}

internal sealed class MediaOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<MediaOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaOptions options)
    {
        var problems = new List<string>();
        if (SecretRules.CheckSigningKey("Media:SigningKey", options.SigningKey, environment) is { } keyProblem)
        {
            problems.Add(keyProblem);
        }

        for (var i = 0; i < options.PreviousSigningKeys.Length; i++)
        {
            if (SecretRules.CheckSigningKey($"Media:PreviousSigningKeys:{i}", options.PreviousSigningKeys[i], environment) is { } previousProblem)
            {
                problems.Add(previousProblem);
            }
        }

        // Read from configuration, not IOptions<JwtOptions>: that would throw here when the JWT settings are invalid too.
        var jwtKeys = configuration.GetSection("Jwt:PreviousSigningKeys").Get<string[]>() ?? [];
        if (SecretRules.CheckDistinct("Jwt:SigningKey", [configuration["Jwt:SigningKey"], .. jwtKeys], "Media:SigningKey",
                [options.SigningKey, .. options.PreviousSigningKeys]) is { } shared)
        {
            problems.Add(shared);
        }

        if (string.IsNullOrWhiteSpace(options.Root))
        {
            problems.Add("Media:Root must name a folder.");
        }

        if (options.MaxUploadBytes is < 1024 or > 1L << 40)
        {
            problems.Add("Media:MaxUploadBytes must be between 1024 and 1099511627776 (1 TiB).");
        }

        if (options.PublicBaseUrl is { Length: > 0 } baseUrl
            && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            problems.Add("Media:PublicBaseUrl must be an absolute http or https URL.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

public static class MediaServiceCollectionExtensions
{
    public static IServiceCollection AddMedia(this IServiceCollection services)
    {
        services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MediaOptions>, MediaOptionsValidator>();
        services.AddSingleton<MediaUrlSigner>();
        services.AddSingleton<MediaStore>();
        services.AddSingleton<MediaUploader>();
        services.AddSingleton<LessonMediaUploads>();
        services.AddSingleton<MediaJanitor>();
        services.AddHostedService(sp => sp.GetRequiredService<MediaJanitor>());
        return services;
    }
}
