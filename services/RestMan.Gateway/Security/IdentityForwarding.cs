using RestMan.Identity;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace RestMan.Gateway.Security;

/// <summary>Signs the resolved session into the proxied request, over the path the service will actually see.</summary>
public static class IdentityForwarding
{
    public static void AddIdentitySigning(TransformBuilderContext builder)
    {
        var services = builder.Services;
        var key = IdentityHeaders.KeyFrom(services.GetRequiredService<IConfiguration>()["Identity:SigningKey"]);
        var clock = services.GetRequiredService<TimeProvider>();
        builder.AddRequestTransform(transform =>
        {
            foreach (var header in IdentityHeaders.All) transform.ProxyRequest.Headers.Remove(header);
            if (transform.HttpContext.Items[SessionGate.SessionItem] is Session session)
            {
                var target = (transform.Path.HasValue ? transform.Path.Value! : "/") + transform.Query.QueryString.Value;
                foreach (var (name, value) in IdentityHeaders.Sign(session.ToIdentity(), transform.HttpContext.Request.Method, target, key, clock.GetUtcNow()))
                    transform.ProxyRequest.Headers.TryAddWithoutValidation(name, value);
            }
            return ValueTask.CompletedTask;
        });
    }
}
