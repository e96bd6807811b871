using System.Net;
using Learning.Accounts;
using Learning.Audit;
using Learning.Hosting;
using Learning.TestSupport;
using Learning.ReadModel;
using Learning.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;

namespace Learning.FunctionalTests.Hardening;

/// <summary>
/// Audit entries survive a failure between storing a change and publishing it: the entry rides in the stored
/// outbox and the next activation publishes it, exactly once.
/// </summary>
public sealed class AuditLossTests(AuditLossTests.Factory factory) : IClassFixture<AuditLossTests.Factory>
{
    private readonly ApiClient _api = factory.CreateApiClient();

    /// <remarks>
    /// How this catches the regressions it is for:
    /// <list type="bullet">
    /// <item>A grain that publishes before it stores: when the injected failure strikes, the stored state does not yet
    /// hold the entry being published, which <see cref="FailOnceAfterStore"/> records as a violation.</item>
    /// <item>A grain that keeps its outbox outside the persisted state (or drops it on failure): the stored state
    /// lacks the entry (a violation again), and after the deactivation nothing is left to publish, so the entry
    /// never appears.</item>
    /// <item>A grain that writes entries without their stable ids, or whose read model does not deduplicate them: the
    /// republished entry appears twice.</item>
    /// </list>
    /// </remarks>
    [Fact]
    public async Task An_entry_whose_publish_failed_after_the_store_is_published_once_when_the_grain_reactivates()
    {
        var (session, device) = await _api.SignUpWithDevice("web-outbox");
        var userId = Guid.Parse((await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("id").GetString()!);
        var lessonId = (await _api.LessonIds())[0];
        factory.Writer.FailOnceOn(AuditActions.VideoStart);

        var start = await _api.StartVideo(session, lessonId, device);

        Assert.True((int)start.Status >= 500, $"The start should fail when its publish fails; got {(int)start.Status}: {start.Body}");
        Assert.Equal(1, factory.Writer.Failures);
        Assert.Empty(factory.Writer.Violations);
        Assert.Empty(await StartEntries(userId));

        // The silo "crashes" for this grain: its memory (and the outbox in it) is gone, only the stored state remains.
        await factory.Grains.GetGrain<IUserGrain>(userId).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await StartEntries(userId)).Count == 0 && DateTime.UtcNow < deadline)
        {
            // Any call activates the grain again; activation publishes what the stored outbox holds.
            (await _api.Get("/api/devices", session.Access)).AssertStatus(HttpStatusCode.OK);
            await Task.Delay(50);
        }

        var entry = Assert.Single(await StartEntries(userId));
        Assert.Contains(lessonId, entry.MetadataJson);
        // Later commands publish again whatever is still unconfirmed; the entry stays single.
        (await _api.RegisterDevice(session, device)).AssertStatus(HttpStatusCode.OK);
        Assert.Single(await StartEntries(userId));
        Assert.Empty(factory.Writer.Violations);
    }

    private async Task<IReadOnlyList<AuditEntry>> StartEntries(Guid userId) =>
        (await factory.Services.GetRequiredService<IAuditQuery>().QueryAsync(
            new AuditQuery(AuditActions.VideoStart, userId, null, null, null, 50, null))).Results;

    public sealed class Factory : LearningApiFactory
    {
        public FailOnceAfterStore Writer => Services.GetRequiredService<FailOnceAfterStore>();

        public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<FailOnceAfterStore>();
                services.AddSingleton<IReadModelWriter>(sp => sp.GetRequiredService<FailOnceAfterStore>());
            });
        }
    }

    /// <summary>
    /// The in-memory read model, except that the first publish carrying an armed action fails, after checking that
    /// the grain had stored every entry of that publish: "fails right after the grain's state was stored".
    /// </summary>
    public sealed class FailOnceAfterStore(InMemoryReadModel inner, IServiceProvider services) : IReadModelWriter
    {
        private readonly Lock _gate = new();
        private string? _armed;
        private int _failures;

        public List<string> Violations { get; } = [];

        public int Failures => Volatile.Read(ref _failures);

        public void FailOnceOn(string action)
        {
            lock (_gate)
            {
                _armed = action;
            }
        }

        public async Task WriteAsync(UserSnapshot? user, IReadOnlyCollection<AuditEntry> audit, CancellationToken cancellationToken = default)
        {
            AuditEntry? trigger;
            lock (_gate)
            {
                trigger = audit.FirstOrDefault(e => e.Action == _armed);
                if (trigger is not null)
                {
                    _armed = null;
                }
            }

            if (trigger is null)
            {
                await inner.WriteAsync(user, audit, cancellationToken);
                return;
            }

            var stored = await StoredOutbox(trigger.UserId!.Value);
            foreach (var entry in audit.Where(e => !stored.Contains(e.Id)))
            {
                lock (_gate)
                {
                    Violations.Add($"{entry.Action} was published while the stored state did not hold it");
                }
            }

            Interlocked.Increment(ref _failures);
            throw new IOException("The read model is unavailable (injected once, after the state was stored).");
        }

        /// <summary>The ids in the user grain's outbox as storage holds it (memory storage keeps a serialized copy).</summary>
        private async Task<HashSet<Guid>> StoredOutbox(Guid userId)
        {
            var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
            var grainId = services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(userId).GetGrainId();
            var state = new GrainState<UserState>();
            await storage.ReadStateAsync("user", grainId, state);
            return state.State?.AuditOutbox.Select(e => e.Id).ToHashSet() ?? [];
        }
    }
}
