using Learning.Catalog;
using Learning.Common;
using Learning.Playback;
using Learning.ReadModel;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Catalog;

public sealed class InMemoryCatalogStoreTests
{
    private static readonly CatalogActor Admin = new(Guid.NewGuid(), ClientInfo.Internal);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryReadModel _readModel;
    private readonly InMemoryCatalogStore _store;

    public InMemoryCatalogStoreTests()
    {
        _readModel = new InMemoryReadModel(_clock, Options.Create(new PlaybackOptions()));
        _store = new InMemoryCatalogStore(_readModel);
    }

    [Fact]
    public async Task A_store_that_never_held_a_catalog_loads_nothing_and_never_served_before()
    {
        Assert.Null(await _store.LoadAsync());
        Assert.False(await _store.ServedBeforeAsync());
    }

    [Fact]
    public async Task An_imported_empty_catalog_is_a_catalog()
    {
        await _store.ApplyAsync(CatalogRules.Import(CatalogSnapshot.Empty).Change);

        var loaded = await _store.LoadAsync();

        Assert.Equal(1, loaded!.Version);
        Assert.Empty(loaded.Courses);
    }

    [Fact]
    public async Task Changes_apply_in_version_order_and_their_audit_reaches_the_read_model()
    {
        var (catalog, import) = CatalogRules.Import(DemoCatalog.Create(_clock.GetUtcNow()));
        await _store.ApplyAsync(import);
        var created = Assert.IsType<CatalogDecision<CatalogCourse>.Changed>(
            CatalogRules.CreateCourse(catalog, new NewCourse("New", "", true), Admin, _clock.GetUtcNow()));

        await _store.ApplyAsync(created.Change);

        var loaded = (await _store.LoadAsync())!;
        Assert.Equal(2, loaded.Version);
        Assert.Equal(created.Value, loaded.FindCourse(created.Value.Id));
        var audit = await _readModel.QueryAsync(new AuditQuery(null, Admin.Id, null, null, null, 10, null));
        Assert.Equal(created.Change.Audit, audit.Results);
    }

    [Fact]
    public async Task A_change_decided_on_an_older_version_is_refused_and_changes_nothing()
    {
        var (catalog, import) = CatalogRules.Import(DemoCatalog.Create(_clock.GetUtcNow()));
        await _store.ApplyAsync(import);
        var first = Assert.IsType<CatalogDecision<CatalogCourse>.Changed>(CatalogRules.CreateCourse(catalog, new NewCourse("A", "", true), Admin, _clock.GetUtcNow()));
        var second = Assert.IsType<CatalogDecision<CatalogCourse>.Changed>(CatalogRules.CreateCourse(catalog, new NewCourse("B", "", true), Admin, _clock.GetUtcNow()));
        await _store.ApplyAsync(first.Change);

        await Assert.ThrowsAsync<CatalogVersionConflictException>(() => _store.ApplyAsync(second.Change));
        // A second import (a second activation during fail-over) is refused the same way.
        await Assert.ThrowsAsync<CatalogVersionConflictException>(() => _store.ApplyAsync(import));

        var loaded = (await _store.LoadAsync())!;
        Assert.Null(loaded.FindCourse(second.Value.Id));
        Assert.Equal(2, loaded.Version);
    }
}
