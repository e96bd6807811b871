using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Learning.Catalog;

/// <summary>
/// The catalog settings silos and API instances share: whether the demo catalog is loaded into an empty catalog
/// (<c>Demo:Catalog</c>), whether lessons without a file play a placeholder (<c>Media:ServePlaceholders</c>), and
/// how often each process asks for a newer snapshot (<c>Catalog:RefreshInterval</c>). The first two default to
/// on in Development only.
/// </summary>
public sealed class CatalogSettings(IConfiguration configuration, IHostEnvironment environment)
{
    public bool LoadDemoCatalog { get; } = configuration.GetValue<bool?>("Demo:Catalog") ?? environment.IsDevelopment();

    public bool ServesPlaceholders { get; } = configuration.GetValue<bool?>("Media:ServePlaceholders") ?? environment.IsDevelopment();

    public TimeSpan RefreshInterval { get; } = configuration.GetValue<TimeSpan?>("Catalog:RefreshInterval") ?? TimeSpan.FromSeconds(2);

    /// <summary>Whether a start may hand out a URL for the lesson: it has a file, or placeholders stand in.</summary>
    public bool HasMedia(CatalogLesson lesson) => lesson.Media is not null || ServesPlaceholders;
}
