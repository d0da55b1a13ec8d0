package io.stasis.cli.plugin;

import java.util.jar.Manifest;
import org.pf4j.DefaultPluginDescriptor;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;

/** PF4J's {@code MANIFEST.MF} reader (a plain plugin jar), also reading {@code Plugin-Native}. */
final class NativeManifestFinder extends ManifestPluginDescriptorFinder {

    @Override
    protected PluginDescriptor createPluginDescriptor(Manifest manifest) {
        StasisPluginDescriptor descriptor = (StasisPluginDescriptor) super.createPluginDescriptor(manifest);
        descriptor.nativeFragment(manifest.getMainAttributes().getValue(StasisPluginDescriptor.NATIVE_ATTRIBUTE));
        return descriptor;
    }

    @Override
    protected DefaultPluginDescriptor createPluginDescriptorInstance() {
        return new StasisPluginDescriptor();
    }
}
