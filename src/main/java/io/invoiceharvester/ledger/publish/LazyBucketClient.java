package io.invoiceharvester.ledger.publish;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;

/**
 * The ledger bucket's S3 client as publish-ledger's aws2-s3 endpoint sees it, bound when the service starts: the real
 * client is built on its first call (a run's read-back of the bucket). The endpoint's own check when its route starts
 * (headBucket) is answered here without a call, so that a bucket that is down or slow cannot hold up or fail the
 * service's start; each run's read-back (the listing of its prefix) is where the bucket is checked, within its bounds.
 */
final class LazyBucketClient implements InvocationHandler {

    private final Supplier<S3Client> build;
    private S3Client real;

    private LazyBucketClient(Supplier<S3Client> build) {
        this.build = build;
    }

    static S3Client of(Supplier<S3Client> build) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                new LazyBucketClient(build));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "headBucket":
                return HeadBucketResponse.builder().build();
            case "close":
                close();
                return null;
            case "toString":
                return "the ledger bucket's client";
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                try {
                    return method.invoke(real(), args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
        }
    }

    private synchronized S3Client real() {
        if (real == null) {
            real = build.get();
        }
        return real;
    }

    private synchronized void close() {
        if (real != null) {
            real.close();
        }
    }
}
