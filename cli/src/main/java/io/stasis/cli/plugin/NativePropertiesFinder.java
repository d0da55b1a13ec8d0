package io.stasis.cli.plugin;

import java.util.Properties;
import org.pf4j.DefaultPluginDescriptor;
import org.pf4j.PluginDescriptor;
import org.pf4j.PropertiesPluginDescriptorFinder;

/** PF4J's {@code plugin.properties} reader, also reading {@code plugin.native}. */
final class NativePropertiesFinder extends PropertiesPluginDescriptorFinder {

    @Override
    protected PluginDescriptor createPluginDescriptor(Properties properties) {
        StasisPluginDescriptor descriptor = (StasisPluginDescriptor) super.createPluginDescriptor(properties);
        descriptor.nativeFragment(properties.getProperty(StasisPluginDescriptor.NATIVE_PROPERTY));
        return descriptor;
    }

    @Override
    protected DefaultPluginDescriptor createPluginDescriptorInstance() {
        return new StasisPluginDescriptor();
    }
}
