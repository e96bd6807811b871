using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Learning.Api.Hosting;

/// <summary>
/// Grain state of the embedded default without a database: a dictionary of this process, ETag-checked like any store.
/// Orleans' <c>MemoryGrainStorage</c> keeps state in storage grains, which deactivate together with every other grain
/// at shutdown, so the last writes of deactivating grains (unsaved heartbeats) failed with dozens of error lines
/// ("No active nodes are compatible with grain memorystorage"). This store outlives the grains; when the silo has
/// stopped it says in one line what the process drops.
/// </summary>
internal sealed partial class ProcessMemoryGrainStorage(
    IGrainStorageSerializer serializer, IActivatorProvider activators, ILogger<ProcessMemoryGrainStorage> logger)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly Dictionary<string, (BinaryData Data, string ETag)> states = [];
    private long version;

    public static void AddTo(ISiloBuilder silo, string name)
    {
        silo.Services.AddKeyedSingleton<IGrainStorage, ProcessMemoryGrainStorage>(name);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            (ProcessMemoryGrainStorage)sp.GetRequiredKeyedService<IGrainStorage>(name));
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        (BinaryData Data, string ETag) stored;
        bool found;
        lock (states)
        {
            found = states.TryGetValue(Key(stateName, grainId), out stored);
        }

        grainState.State = (found ? serializer.Deserialize<T>(stored.Data) : default) ?? activators.GetActivator<T>().Create();
        grainState.ETag = found ? stored.ETag : null;
        grainState.RecordExists = found;
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = serializer.Serialize(grainState.State);
        var etag = Interlocked.Increment(ref version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (states)
        {
            var key = Key(stateName, grainId);
            ThrowIfStale(key, grainState.ETag);
            states[key] = (data, etag);
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (states)
        {
            var key = Key(stateName, grainId);
            ThrowIfStale(key, grainState.ETag);
            states.Remove(key);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
        return Task.CompletedTask;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        // Stopped after grain deactivation (stages stop in reverse order), so every grain has written what it held.
        lifecycle.Subscribe(nameof(ProcessMemoryGrainStorage), ServiceLifecycleStage.RuntimeInitialize, _ => Task.CompletedTask, _ =>
        {
            int count;
            lock (states)
            {
                count = states.Count;
            }

            LogDropped(logger, count);
            return Task.CompletedTask;
        });

    private void ThrowIfStale(string key, string? etag)
    {
        var stored = states.TryGetValue(key, out var current) ? current.ETag : null;
        if (stored != etag)
        {
            throw new InconsistentStateException($"ETag mismatch for {key}", stored, etag, null);
        }
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";

    [LoggerMessage(Level = LogLevel.Information,
        Message = "In-memory storage: the stored state of {GrainCount} grains (users with their devices and sessions, email claims) is dropped as the process exits; set ConnectionStrings:Postgres to keep it")]
    private static partial void LogDropped(ILogger logger, int grainCount);
}
