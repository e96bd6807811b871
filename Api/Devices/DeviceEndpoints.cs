using Learning.Accounts;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Common;
using Learning.Devices;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Devices;

public static class DeviceEndpoints
{
    public sealed record DeviceResponse(string Message, Device Device);

    /// <summary>A register or transfer waiting for the code mailed to the account (<c>Devices:ConfirmNewDevices</c>).</summary>
    public sealed record ConfirmationRequiredResponse(string Status, string DeviceId, int ExpiresIn, int ResendAfter);

    public sealed record CodeSentResponse(int ExpiresIn, int ResendAfter);

    private const string ConfirmationRequired = "confirmation_required";

    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/devices").WithTags("Devices").RequireCallerCheckedByGrain();
        group.MapPost("/register", Register)
            .Documented<RegisterDeviceRequest>("Register this device (201, or 200 when already active; 202 when a new device must be confirmed)",
                ErrorCodes.ActiveDeviceExists, ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapPost("/transfer", Transfer)
            .Documented<TransferDeviceRequest>("Make this the active device; the others stop (202 when a new device must be confirmed)",
                ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapPost("/confirm", Confirm)
            .Documented<ConfirmDeviceRequest>("Confirm a new device with the mailed code: the waiting register or transfer's answer",
                ErrorCodes.InvalidCode, ErrorCodes.CodeExpired, ErrorCodes.ConfirmationNotFound, ErrorCodes.ActiveDeviceExists,
                ErrorCodes.RateLimited, ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapPost("/confirm/resend", Resend)
            .Documented<ResendDeviceCodeRequest>("Mail a new code for a device waiting for confirmation; the previous code stops working",
                ErrorCodes.ResendTooSoon, ErrorCodes.ConfirmationNotFound, ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapGet("", List)
            .Documented("Devices, most recently used first", ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapDelete("/{id}/revoke", Revoke)
            .Documented("Delete a device and end its sessions",
                ErrorCodes.DeviceNotFound, ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        return app;
    }

    private static async Task<Results<Created<DeviceResponse>, Ok<DeviceResponse>, Accepted<ConfirmationRequiredResponse>, ProblemHttpResult>> Register(
        JsonBody<RegisterDeviceRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        return ToHttp(await grains.GetGrain<IUserGrain>(caller.UserId).RegisterDevice(caller, body.Value.ToCommand()), http);
    }

    private static async Task<Results<Ok<DeviceResponse>, Accepted<ConfirmationRequiredResponse>, ProblemHttpResult>> Transfer(
        JsonBody<TransferDeviceRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).TransferTo(caller, body.Value.ToCommand());
        return result.Value switch
        {
            DeviceTransfer transfer => Transferred(transfer),
            DeviceConfirmationRequired required => Waiting(required),
            _ => ApiProblem.From(result.Error!, http),
        };
    }

    /// <summary>Answers exactly what the register or transfer that waited for the code answers now.</summary>
    private static async Task<Results<Created<DeviceResponse>, Ok<DeviceResponse>, Accepted<ConfirmationRequiredResponse>, ProblemHttpResult>> Confirm(
        JsonBody<ConfirmDeviceRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        return ToHttp(await grains.GetGrain<IUserGrain>(caller.UserId).ConfirmDevice(caller, body.Value.DeviceId!, body.Value.Code!), http);
    }

    private static async Task<Results<Accepted<CodeSentResponse>, ProblemHttpResult>> Resend(
        JsonBody<ResendDeviceCodeRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).ResendDeviceCode(caller, body.Value.DeviceId!);
        return result.ToHttp(http, sent =>
            TypedResults.Accepted((string?)null, new CodeSentResponse(sent.ExpiresInSeconds, sent.ResendAfterSeconds)));
    }

    private static async Task<Results<Ok<IReadOnlyList<Device>>, ProblemHttpResult>> List(
        IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        return (await grains.GetGrain<IUserGrain>(caller.UserId).ListDevices(caller)).ToHttp(http, TypedResults.Ok);
    }

    private static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> Revoke(
        string id, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).RevokeDevice(caller, id);
        return result.ToHttp(http, _ => TypedResults.Ok(new MessageResponse("Device revoked successfully")));
    }

    private static Results<Created<DeviceResponse>, Ok<DeviceResponse>, Accepted<ConfirmationRequiredResponse>, ProblemHttpResult> ToHttp(
        Result<DeviceOutcome> result, HttpContext http) => result.Value switch
        {
            DeviceRegistration { Created: true } registration =>
                TypedResults.Created("/api/devices", new DeviceResponse("Device registered successfully", registration.Device)),
            DeviceRegistration registration => TypedResults.Ok(new DeviceResponse("Device is already registered and active", registration.Device)),
            DeviceTransfer transfer => Transferred(transfer),
            DeviceConfirmationRequired required => Waiting(required),
            _ => ApiProblem.From(result.Error!, http),
        };

    private static Ok<DeviceResponse> Transferred(DeviceTransfer transfer) =>
        TypedResults.Ok(new DeviceResponse("Device transferred successfully", transfer.Device));

    private static Accepted<ConfirmationRequiredResponse> Waiting(DeviceConfirmationRequired required) =>
        TypedResults.Accepted((string?)null,
            new ConfirmationRequiredResponse(ConfirmationRequired, required.DeviceId, required.ExpiresInSeconds, required.ResendAfterSeconds));
}
