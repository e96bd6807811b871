using System.Collections.Immutable;
using Learning.Devices;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Devices;

public sealed class DeviceRulesTests
{
    private static readonly LimitsOptions OneActive = new();
    private static readonly LimitsOptions TwoActive = new() { MaxActiveDevices = 2 };
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void The_default_limits_are_one_active_device_and_ten_kept_devices()
    {
        Assert.Equal(1, OneActive.MaxActiveDevices);
        Assert.Equal(10, OneActive.MaxDevicesPerUser);
    }

    [Fact]
    public void The_first_registration_activates_a_new_device()
    {
        var id = Guid.NewGuid();

        var decision = DeviceRules.DecideRegister([], Request("phone", "My phone", Platform.Android), id, Now, OneActive);

        var activated = Assert.IsType<RegisterDecision.Activated>(decision);
        Assert.Equal(new Device(id, "phone", "My phone", Platform.Android, IsActive: true, CreatedAt: Now, LastAccessed: Now), activated.Device);
        Assert.Equal(activated.Device, Assert.Single(activated.Devices));
    }

    [Fact]
    public void Registering_the_active_device_again_is_an_idempotent_repeat_that_refreshes_its_name_and_last_accessed()
    {
        var phone = Register([], "phone", OneActive);
        var created = phone.Single().CreatedAt;
        _clock.Advance(TimeSpan.FromMinutes(5));

        var decision = DeviceRules.DecideRegister(phone, Request("phone", "Renamed phone", Platform.Ios), Guid.NewGuid(), Now, OneActive);

        var again = Assert.IsType<RegisterDecision.AlreadyActive>(decision);
        Assert.Equal(phone.Single().Id, again.Device.Id);
        Assert.True(again.Device.IsActive);
        Assert.Equal("Renamed phone", again.Device.DeviceName);
        Assert.Equal(Platform.Ios, again.Device.Platform);
        Assert.Equal(Now, again.Device.LastAccessed);
        Assert.Equal(created, again.Device.CreatedAt);
        Assert.Equal(again.Device, Assert.Single(again.Devices));
    }

    [Fact]
    public void A_second_device_is_refused_while_the_only_active_slot_is_taken_and_nothing_changes()
    {
        var devices = Register([], "phone", OneActive);
        var phone = devices.Single();
        _clock.Advance(TimeSpan.FromMinutes(5));

        var decision = DeviceRules.DecideRegister(devices, Request("laptop"), Guid.NewGuid(), Now, OneActive);

        var refused = Assert.IsType<RegisterDecision.Refused>(decision);
        // The active device is reported as it is stored, not refreshed by the refused attempt.
        Assert.Equal(phone, refused.ActiveDevice);
    }

    [Fact]
    public void An_inactive_known_device_is_refused_while_the_limit_is_reached()
    {
        var phone = Stored("phone", active: false);
        var laptop = Stored("laptop", active: true);

        var decision = DeviceRules.DecideRegister([phone, laptop], Request("phone"), Guid.NewGuid(), Now, OneActive);

        Assert.Equal(laptop, Assert.IsType<RegisterDecision.Refused>(decision).ActiveDevice);
    }

    [Fact]
    public void With_two_active_devices_allowed_a_second_registers_and_a_third_is_refused()
    {
        var devices = Register([], "phone", TwoActive);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var second = DeviceRules.DecideRegister(devices, Request("laptop"), Guid.NewGuid(), Now, TwoActive);
        var activated = Assert.IsType<RegisterDecision.Activated>(second);
        Assert.Equal(2, activated.Devices.Count);
        Assert.All(activated.Devices, d => Assert.True(d.IsActive));
        _clock.Advance(TimeSpan.FromMinutes(1));

        var third = DeviceRules.DecideRegister(activated.Devices, Request("tablet"), Guid.NewGuid(), Now, TwoActive);
        Assert.Equal(activated.Device, Assert.IsType<RegisterDecision.Refused>(third).ActiveDevice);
    }

    [Fact]
    public void A_refusal_names_the_most_recently_used_active_device()
    {
        var older = Stored("older", active: true);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var recent = Stored("recent", active: true);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var inactiveNewest = Stored("inactive", active: false);

        var decision = DeviceRules.DecideRegister([recent, inactiveNewest, older], Request("tablet"), Guid.NewGuid(), Now, TwoActive);

        Assert.Equal(recent, Assert.IsType<RegisterDecision.Refused>(decision).ActiveDevice);
    }

    [Fact]
    public void An_inactive_known_device_comes_back_active_with_the_same_server_id_when_there_is_room()
    {
        var phone = Stored("phone", active: false);
        _clock.Advance(TimeSpan.FromDays(1));

        var decision = DeviceRules.DecideRegister([phone], Request("phone", "Phone again"), Guid.NewGuid(), Now, OneActive);

        var activated = Assert.IsType<RegisterDecision.Activated>(decision);
        Assert.Equal(phone.Id, activated.Device.Id);
        Assert.True(activated.Device.IsActive);
        Assert.Equal("Phone again", activated.Device.DeviceName);
        Assert.Equal(phone.CreatedAt, activated.Device.CreatedAt);
        Assert.Equal(Now, activated.Device.LastAccessed);
        Assert.Equal(activated.Device, Assert.Single(activated.Devices));
    }

    [Fact]
    public void With_two_active_devices_allowed_an_inactive_known_device_comes_back_beside_the_active_one()
    {
        var laptop = Stored("laptop", active: true);
        var phone = Stored("phone", active: false);

        var decision = DeviceRules.DecideRegister([laptop, phone], Request("phone"), Guid.NewGuid(), Now, TwoActive);

        var activated = Assert.IsType<RegisterDecision.Activated>(decision);
        Assert.Equal(phone.Id, activated.Device.Id);
        Assert.Equal(2, activated.Devices.Count);
        Assert.All(activated.Devices, d => Assert.True(d.IsActive));
    }

    [Fact]
    public void Transfer_activates_a_new_device_deactivates_every_other_one_and_returns_the_deactivated_ones()
    {
        var phone = Stored("phone", active: true);
        var tablet = Stored("tablet", active: true);
        var old = Stored("old", active: false);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var newId = Guid.NewGuid();

        var (devices, activated, deactivated) = DeviceRules.Transfer([phone, tablet, old], Request("laptop", "Laptop", Platform.Web), newId, Now, TwoActive);

        Assert.Equal(new Device(newId, "laptop", "Laptop", Platform.Web, IsActive: true, CreatedAt: Now, LastAccessed: Now), activated);
        Assert.Equal(4, devices.Count);
        Assert.Equal(activated, Assert.Single(devices, d => d.IsActive));
        Assert.Equal(new[] { phone.Id, tablet.Id }.Order(), deactivated.Select(d => d.Id).Order());
        Assert.DoesNotContain(old.Id, deactivated.Select(d => d.Id));
    }

    [Fact]
    public void Transfer_to_an_inactive_known_device_activates_it_with_the_same_server_id_and_deactivates_the_active_one()
    {
        var phone = Stored("phone", active: true);
        var laptop = Stored("laptop", active: false);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var (devices, activated, deactivated) = DeviceRules.Transfer([phone, laptop], Request("laptop", "Work laptop"), Guid.NewGuid(), Now, OneActive);

        Assert.Equal(laptop.Id, activated.Id);
        Assert.True(activated.IsActive);
        Assert.Equal("Work laptop", activated.DeviceName);
        Assert.Equal(Now, activated.LastAccessed);
        Assert.Equal(phone.Id, Assert.Single(deactivated).Id);
        Assert.Equal(2, devices.Count);
        Assert.False(devices.Single(d => d.Id == phone.Id).IsActive);
        Assert.Equal(activated, Assert.Single(devices, d => d.IsActive));
    }

    [Fact]
    public void Transfer_to_the_already_active_device_deactivates_nothing_else()
    {
        var phone = Stored("phone", active: true);
        var tablet = Stored("tablet", active: false);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var (devices, activated, deactivated) = DeviceRules.Transfer([phone, tablet], Request("phone"), Guid.NewGuid(), Now, OneActive);

        Assert.Empty(deactivated);
        Assert.Equal(phone.Id, activated.Id);
        Assert.True(activated.IsActive);
        Assert.Equal(Now, activated.LastAccessed);
        Assert.Equal(2, devices.Count);
        Assert.Equal(activated, Assert.Single(devices, d => d.IsActive));
    }

    [Fact]
    public void Trim_keeps_ten_devices_dropping_the_least_recently_used_inactive_ones_and_never_active_ones()
    {
        // The two least recently used devices are active: they must survive, the next two (inactive) go.
        var activeOldest = Stored("active-0", active: true);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var activeOld = Stored("active-1", active: true);
        var inactive = new List<Device>();
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            inactive.Add(Stored($"inactive-{i}", active: false));
        }

        ImmutableList<Device> devices = [.. inactive.AsEnumerable().Reverse(), activeOld, activeOldest];

        var trimmed = DeviceRules.Trim(devices, TwoActive);

        Assert.Equal(10, trimmed.Count);
        Assert.Contains(activeOldest, trimmed);
        Assert.Contains(activeOld, trimmed);
        Assert.DoesNotContain(inactive[0], trimmed);
        Assert.DoesNotContain(inactive[1], trimmed);
        Assert.All(inactive.Skip(2), d => Assert.Contains(d, trimmed));
    }

    [Fact]
    public void Trim_leaves_a_list_of_ten_devices_alone()
    {
        var devices = Enumerable.Range(0, 10).Select(i => Stored($"device-{i}", active: false)).ToImmutableList();

        Assert.Equal(devices, DeviceRules.Trim(devices, OneActive));
    }

    [Fact]
    public void Trim_never_drops_an_active_device_even_when_nothing_else_can_go()
    {
        var devices = Enumerable.Range(0, 11).Select(i => Stored($"device-{i}", active: true)).ToImmutableList();

        Assert.Equal(devices, DeviceRules.Trim(devices, new LimitsOptions { MaxActiveDevices = 10 }));
    }

    [Fact]
    public void Registering_an_eleventh_device_drops_the_least_recently_used_inactive_one()
    {
        var kept = new List<Device>();
        for (var i = 0; i < 10; i++)
        {
            kept.Add(Stored($"device-{i}", active: false));
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        var decision = DeviceRules.DecideRegister([.. kept.AsEnumerable().Reverse()], Request("new"), Guid.NewGuid(), Now, OneActive);

        var activated = Assert.IsType<RegisterDecision.Activated>(decision);
        Assert.Equal(10, activated.Devices.Count);
        Assert.Contains(activated.Device, activated.Devices);
        Assert.DoesNotContain(kept[0], activated.Devices);
    }

    [Fact]
    public void Transfer_to_an_eleventh_device_drops_the_least_recently_used_inactive_one()
    {
        var kept = new List<Device>();
        for (var i = 0; i < 9; i++)
        {
            kept.Add(Stored($"device-{i}", active: false));
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        var active = Stored("active", active: true);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var (devices, activated, deactivated) = DeviceRules.Transfer([active, .. kept], Request("new"), Guid.NewGuid(), Now, OneActive);

        Assert.Equal(10, devices.Count);
        Assert.Contains(activated, devices);
        Assert.DoesNotContain(kept[0], devices);
        Assert.Contains(devices, d => d.Id == active.Id && !d.IsActive);
        Assert.Equal(active.Id, Assert.Single(deactivated).Id);
    }

    [Fact]
    public void Most_recent_first_orders_by_last_accessed_descending()
    {
        var first = Stored("first", active: false);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = Stored("second", active: true);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var third = Stored("third", active: false);
        // A device created long ago but used just now comes first.
        var oldButRecentlyUsed = first with { Id = Guid.NewGuid(), DeviceId = "old", LastAccessed = Now + TimeSpan.FromSeconds(1) };

        var ordered = DeviceRules.MostRecentFirst([second, first, oldButRecentlyUsed, third]);

        Assert.Equal(new[] { "old", "third", "second", "first" }, ordered.Select(d => d.DeviceId));
    }

    private static RegisterDevice Request(string deviceId, string? name = null, Platform platform = Platform.Web) =>
        new(DeviceId: deviceId, DeviceName: name ?? $"{deviceId} name", Platform: platform);

    private Device Stored(string deviceId, bool active) =>
        new(Id: Guid.NewGuid(), DeviceId: deviceId, DeviceName: $"{deviceId} name", Platform: Platform.Web, IsActive: active, CreatedAt: Now, LastAccessed: Now);

    private ImmutableList<Device> Register(ImmutableList<Device> devices, string deviceId, LimitsOptions limits) =>
        Assert.IsType<RegisterDecision.Activated>(DeviceRules.DecideRegister(devices, Request(deviceId), Guid.NewGuid(), Now, limits)).Devices;
}
