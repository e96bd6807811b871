using Learning.Access;
using Learning.Progress;
using Learning.TestSupport;
using Learning.Users;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Learning.FunctionalTests.Bounds;

/// <summary>
/// Reading one user's stored state leaves the state every other user starts with untouched. The grain storage serializer
/// (Newtonsoft JSON) fills in the object a property already holds instead of replacing it, so a default shared between
/// states (a static instance) took the last-read user's values: new users then started with another user's held
/// learning progress, wrote it behind as their own, and would have started with another user's subscription record.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StoredStateDefaultsTests(LearningApiFactory factory)
{
    [Fact]
    public void Reading_a_users_stored_state_does_not_change_what_a_new_user_starts_with()
    {
        var serializer = factory.Services.GetRequiredService<IGrainStorageSerializer>();
        var stored = new UserState
        {
            Progress = new ProgressState
            {
                Lessons = [new HeldProgress(ProgressRules.Record(ProgressRules.New(Guid.NewGuid(), Guid.NewGuid(), 600), 15, 15, 600, DateTimeOffset.UnixEpoch), Written: false)],
            },
            Access = new AccessState { CustomerId = "cus_someone_else", HadTrial = true },
        };

        var read = serializer.Deserialize<UserState>(serializer.Serialize(stored))!;

        Assert.Single(read.Progress.Lessons);
        Assert.Equal("cus_someone_else", read.Access.CustomerId);
        var fresh = new UserState();
        Assert.Empty(fresh.Progress.Lessons);
        Assert.Equal(new AccessState(), fresh.Access);
    }
}
