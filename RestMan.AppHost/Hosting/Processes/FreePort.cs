using System.Net;
using System.Net.Sockets;

namespace RestMan.Hosting.Processes;

public static class FreePort
{
    /// <summary>A port the OS just handed out on loopback; free unless someone grabs it before the child binds.</summary>
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            // Never hand the same port to two resources of this process, even if the first has not bound yet.
            lock (HandedOut)
                if (HandedOut.Add(port)) return port;
        }
    }
}
