extern alias WebApp;

using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using WebApp::RestMan.Web.Extensions;

namespace RestMan.UnitTests.Web;

/// <summary>The web replicas' shared Data Protection keys are encrypted before they reach Redis.</summary>
[Trait("Category", "Unit")]
public sealed class SharedKeyRingTests
{
    private static readonly XElement Key = XElement.Parse("<masterKey><value>c2VjcmV0LWtleS1tYXRlcmlhbA==</value></masterKey>");

    [Fact]
    public void A_key_is_stored_encrypted_and_another_replica_with_the_same_secret_reads_it_back()
    {
        var encrypted = new KeyRingEncryptor(new KeyRingEncryption(RandomKey(out var secret))).Encrypt(Key);

        encrypted.EncryptedElement.ToString().ShouldNotContain("c2VjcmV0LWtleS1tYXRlcmlhbA==");
        encrypted.DecryptorType.ShouldBe(typeof(KeyRingDecryptor));
        var otherReplica = new ServiceCollection().AddSingleton(new KeyRingEncryption(secret)).BuildServiceProvider();
        new KeyRingDecryptor(otherReplica).Decrypt(encrypted.EncryptedElement).ToString().ShouldBe(Key.ToString());
    }

    [Fact]
    public void Without_the_secret_the_stored_key_cannot_be_read()
    {
        var encrypted = new KeyRingEncryptor(new KeyRingEncryption(RandomKey(out _))).Encrypt(Key);
        var stranger = new ServiceCollection().AddSingleton(new KeyRingEncryption(RandomKey(out _))).BuildServiceProvider();

        Should.Throw<CryptographicException>(() => new KeyRingDecryptor(stranger).Decrypt(encrypted.EncryptedElement));
    }

    private static byte[] RandomKey(out byte[] key) => key = RandomNumberGenerator.GetBytes(32);
}
