using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Learning.Email;

/// <summary>
/// Development defaults, so a newcomer's <c>dotnet run</c> can follow a mailed link: mail goes to a pickup folder
/// outside the repository, links point at the local API. Elsewhere nothing is guessed.
/// </summary>
internal sealed class EmailOptionsDefaults(IHostEnvironment environment, IConfiguration configuration) : IPostConfigureOptions<EmailOptions>
{
    public const string DefaultFrom = "Orleans.Learning <no-reply@localhost>";

    /// <summary>The API's own default address (Api/Program.cs listens there unless <c>urls</c> says otherwise).</summary>
    public const string DefaultPublicBaseUrl = "http://127.0.0.1:5000";

    public static string DefaultPickupDirectory => Path.Combine(Path.GetTempPath(), "learning-mail");

    public void PostConfigure(string? name, EmailOptions options)
    {
        var development = environment.IsDevelopment();
        if (development && options.Delivery == MailDelivery.None)
        {
            options.PickupDirectory = DefaultPickupDirectory;
        }

        if (!string.IsNullOrWhiteSpace(options.PickupDirectory))
        {
            options.PickupDirectory = Path.GetFullPath(options.PickupDirectory, environment.ContentRootPath);
        }

        // A sender for .eml files and discarded mail; a real relay needs a real one (the validator asks for it).
        if (string.IsNullOrWhiteSpace(options.From) && (development || options.Delivery != MailDelivery.Smtp))
        {
            options.From = DefaultFrom;
        }

        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl) && development)
        {
            options.PublicBaseUrl = LocalBaseUrl(configuration["urls"]);
        }

        options.PublicBaseUrl = options.PublicBaseUrl.Trim().TrimEnd('/');
    }

    /// <summary>The first address the API listens on, with a wildcard host made reachable; else the API's default.</summary>
    internal static string LocalBaseUrl(string? urls)
    {
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var reachable = url.Replace("://+", "://localhost", StringComparison.Ordinal)
                .Replace("://*", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
                .Replace("://[::]", "://localhost", StringComparison.Ordinal);
            if (Uri.TryCreate(reachable, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri.GetLeftPart(UriPartial.Authority);
            }
        }

        return DefaultPublicBaseUrl;
    }
}
