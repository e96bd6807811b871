using Learning.Accounts;
using Learning.Hosting;
using Learning.Users;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Learning.TestSupport;

/// <summary>What a user's grain has stored, read straight from the host's grain storage (not from the grain).</summary>
public static class StoredUserState
{
    public static async Task<UserState> ReadAsync<TEntryPoint>(WebApplicationFactory<TEntryPoint> factory, Guid userId)
        where TEntryPoint : class
    {
        var storage = factory.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var grainId = factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(userId).GetGrainId();
        var state = new GrainState<UserState>();
        await storage.ReadStateAsync("user", grainId, state);
        return state.State ?? throw new InvalidOperationException("The user has no stored state.");
    }
}
